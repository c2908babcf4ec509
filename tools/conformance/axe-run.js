#!/usr/bin/env node
// axe-core on local HTML/XHTML files in headless Chromium (playwright-core).
// Usage: node axe-run.js FILE [FILE...]  -> one JSON object on stdout:
//   {"axe_version", "tags", "results": [{"file", "ok", "violations": [...], "incomplete": [...], "error"?}]}
// Every request that is not a local file is aborted: pages never reach the network.
// Env: CONFORMANCE_BROWSER (default: chromium.sh beside this file).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');

const here = __dirname;
const nm = path.join(here, 'node_modules');
const { chromium } = require(path.join(nm, 'playwright-core'));
const axeSource = path.join(nm, 'axe-core', 'axe.min.js');
const axeVersion = require(path.join(nm, 'axe-core', 'package.json')).version;
const browserPath = process.env.CONFORMANCE_BROWSER || path.join(here, 'chromium.sh');

// WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

function slim(v) {
  return {
    id: v.id,
    impact: v.impact,
    tags: v.tags,
    help: v.help,
    nodes: v.nodes.length,
    targets: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: (n.html || '').slice(0, 200) })),
  };
}

async function check(context, file) {
  const page = await context.newPage();
  const entry = { file };
  try {
    await page.route('**/*', (route) => {
      const url = route.request().url();
      return url.startsWith('file:') ? route.continue() : route.abort();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 60000 });
    await page.addScriptTag({ path: axeSource });
    const result = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return { violations: r.violations, incomplete: r.incomplete };
    }, TAGS);
    entry.ok = true;
    entry.violations = result.violations.map(slim);
    entry.incomplete = result.incomplete.map(slim);
  } catch (e) {
    entry.ok = false;
    entry.error = String((e && e.stack) || e);
  } finally {
    await page.close();
  }
  return entry;
}

async function main() {
  const files = process.argv.slice(2).map((f) => path.resolve(f));
  if (!files.length) {
    console.error('usage: axe-run.js FILE [FILE...]');
    process.exit(2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'axe-run-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: browserPath, headless: true });
  const results = [];
  try {
    for (const file of files) results.push(await check(context, file));
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ axe_version: axeVersion, tags: TAGS, results }));
}

main().catch((e) => {
  console.error(String((e && e.stack) || e));
  process.exit(1);
});
