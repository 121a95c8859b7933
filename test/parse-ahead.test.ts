// A scan worker parses files while it waits, focused on the transforms' own words
// (FileScanner.parseAhead); the scan keeps such a tree only where the run's focus gives the
// parser the same text. Results are those of a scan that parsed nothing ahead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileScanner, type WorkerSetup } from '../src/scan-worker.js';
import { candidateFiles, listHeaders } from '../src/scan.js';
import { SourceList } from '../src/match/prefilter.js';
import { transformsFor } from '../transforms/index.js';
import { fileTree } from './helpers.js';

const FILES: Record<string, string> = {
  'Makefile': '',
  'include/linux/device.h': 'struct device { int id; };\n',
  'include/linux/i2c.h': '#include <linux/device.h>\nstruct i2c_adapter { struct device dev; int nr; };\n'
    + 'struct i2c_client { struct i2c_adapter *adapter; };\n',
  // names the adapter's type in the body: the transforms' words alone keep it
  'drivers/i2c/busses/i2c-kept.c': '#include <linux/i2c.h>\n\nstatic void kept_put(struct i2c_adapter *adap)\n{\n'
    + '\tput_device(&adap->dev);\n}\n\nstatic int other(int x)\n{\n\treturn x + 1;\n}\n',
  // reaches it only through `adapter`, a member learned from i2c.h: the transforms' words alone
  // blank this body, the run's do not, so the tree parsed ahead must not serve
  'drivers/i2c/busses/i2c-member.c': '#include <linux/i2c.h>\n\nstatic void member_put(struct i2c_client *client)\n{\n'
    + '\tput_device(&client->adapter->dev);\n}\n',
};

test('a tree parsed ahead serves only where the parser would read the same text; results unchanged', async () => {
  const { dir, done } = fileTree(FILES, 'unembed-ahead-');
  try {
    const transforms = transformsFor('i2c');
    const sources = new SourceList(dir, false);
    const c = await candidateFiles(dir, transforms, ['drivers/i2c/busses'], sources);
    assert.deepEqual(c.files, ['drivers/i2c/busses/i2c-kept.c', 'drivers/i2c/busses/i2c-member.c']);
    const headers = await listHeaders(dir, sources);
    const setup: WorkerSetup = { tree: dir, transformIds: transforms.map((t) => t.id), applyEdits: true, diffs: true };
    const run = (ahead: boolean) => {
      const s = new FileScanner(setup);
      s.headers.allHeaders = headers;
      if (ahead) for (const f of c.files) s.parseAhead(f);
      s.setWords({ types: [...c.words.types], funcs: [...c.words.funcs], members: [...c.words.members], arrayMembers: [...c.words.arrayMembers] });
      return { reply: s.scan(c.files, c.files.map((f) => c.memberScope.get(f) ?? null)), counts: s.aheadCounts };
    };
    const plain = run(false);
    const ahead = run(true);
    assert.deepEqual(ahead.counts, { parsed: 2, kept: 1 });
    assert.deepEqual(plain.counts, { parsed: 0, kept: 0 });
    assert.deepEqual(ahead.reply, plain.reply);
    // both sites, the one behind the learned member too
    assert.deepEqual(plain.reply.sites.map((s) => `${s.file}: ${s.expr}`),
      ['drivers/i2c/busses/i2c-kept.c: adap->dev', 'drivers/i2c/busses/i2c-member.c: client->adapter->dev']);
  } finally {
    done();
  }
});
