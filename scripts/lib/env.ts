/**
 * Imported first by the scripts: n8n-core writes an encryption key into its user folder when it
 * loads, so point it at a throw-away directory (never the developer's real ~/.n8n).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-demo-'));
}
