// Copies what tsc does not: node/credential icons, the nodes' codex files (<Node>.node.json: n8n's
// categories, search aliases and documentation links) and the bundled workflow templates.
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

function copyWorkflows() {
	return src('workflows/*.json', { base: '.', allowEmpty: true }).pipe(dest('dist'));
}

exports.build = parallel(copyIcons, copyCodex, copyWorkflows);
exports.default = exports.build;
