#!/usr/bin/env bash
# n8n's verification scan, run locally: the two ESLint legs of @n8n/scan-community-package
# (analyzePackageByName in its scanner.mjs) on this repository, without the registry.
#   - source leg: the sources the provenance attestation would point at (package.json,
#     nodes/ and credentials/ *.ts/*.js/*.json), with every rule set;
#   - tarball leg: what `npm pack` ships (compiled *.js and package.json).
# The scanner's provenance check and downloads need a published package; they are not run.
# Usage: bash scripts/scan-package.sh   (builds first when dist/ is missing; exits 1 on a violation)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
version="${SCANNER_VERSION:-0.32.0}"
scanner="${SCANNER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-marketo-spotme/scan-community-package-$version}"

[ -d dist/nodes ] || npm run build
if [ ! -f "$scanner/node_modules/@n8n/scan-community-package/scanner/scanner.mjs" ]; then
	echo "[scan] installing @n8n/scan-community-package@$version into $scanner"
	mkdir -p "$scanner"
	npm install --prefix "$scanner" --no-audit --no-fund --no-save "@n8n/scan-community-package@$version" >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm pack --ignore-scripts --silent --pack-destination "$work" >/dev/null
mkdir "$work/pkg"
tar -xzf "$work"/*.tgz -C "$work/pkg" --strip-components=1

SCANNER_MJS="$scanner/node_modules/@n8n/scan-community-package/scanner/scanner.mjs" \
	SOURCE_DIR="$root" PACKAGE_DIR="$work/pkg" node --input-type=module -e '
import { pathToFileURL } from "node:url";
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(process.env.SCANNER_MJS).href);
const legs = [
	["source", await analyzePackage(process.env.SOURCE_DIR, SOURCE_FILE_PATTERNS)],
	["tarball", await analyzePackage(process.env.PACKAGE_DIR, ["**/*.js", "package.json"])],
];
for (const [leg, r] of legs) {
	console.log(`[scan] ${leg}: ${r.passed ? "passed" : "FAILED"}${r.message ? ` (${r.message})` : ""}`);
	if (r.details) console.log(r.details);
}
process.exit(legs.every(([, r]) => r.passed) ? 0 : 1);
'
