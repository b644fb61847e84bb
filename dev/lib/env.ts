/**
 * Imported first by the scripts: n8n-core reads (or creates, announcing it) an encryption key in its
 * user folder when it loads. Point it at a throw-away directory with a key already in place, so the
 * developer's real ~/.n8n is never touched and the output stays quiet.
 */
import { randomBytes } from 'crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

if (!process.env.N8N_USER_FOLDER) {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-demo-'));
	mkdirSync(join(folder, '.n8n'), { recursive: true });
	writeFileSync(
		join(folder, '.n8n', 'config'),
		JSON.stringify({ encryptionKey: randomBytes(24).toString('base64') }),
		{ mode: 0o600 },
	);
	process.env.N8N_USER_FOLDER = folder;
}
