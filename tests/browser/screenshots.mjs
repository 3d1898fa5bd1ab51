/**
 * Screenshots of the studio's views: always into test-artifacts/ (for a person reading a test
 * run), and with UPDATE_SCREENSHOTS=1 also into docs/screenshots/ under the same stable name,
 * which the README shows. Only on request, so a CI run never changes the checked-in images.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(root, 'test-artifacts');
const docs = join(root, 'docs', 'screenshots');

/** Saves `name` (e.g. "studio-train.png"); `docs: true` marks a view the README shows. */
export async function screenshot(page, name, { docs: forDocs = false, ...options } = {}) {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, name);
  // from the top: the sticky header is drawn where the page is scrolled, mid-image otherwise
  if (options.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, ...options });
  if (forDocs && process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(docs, { recursive: true });
    copyFileSync(path, join(docs, name));
  }
}
