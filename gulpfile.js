// Copies what tsc does not: node/credential icons and the bundled workflow templates.
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function copyWorkflows() {
	return src('workflows/*.json', { base: '.', allowEmpty: true }).pipe(dest('dist'));
}

exports.build = parallel(copyIcons, copyWorkflows);
exports.default = exports.build;
