import { PassThrough } from 'node:stream';
import { waitFor } from '@cim/test-support';
import { describe, expect, it } from 'vitest';
import { formatLogLine, Supervisor } from './supervisor.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('supervisor', () => {
  it('prefixes logs, restarts a crashed process with backoff, and stops everything', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => {
      text += String(d);
    });
    const supervisor = new Supervisor(
      [
        {
          name: 'steady',
          command: process.execPath,
          args: ['-e', 'console.log("up"); setInterval(() => {}, 1000)'],
        },
        {
          name: 'crashy',
          command: process.execPath,
          args: ['-e', 'console.log(JSON.stringify({level:50,time:0,msg:"boom"})); process.exit(3)'],
        },
      ],
      { out, minBackoffMs: 50, maxBackoffMs: 200 },
    );
    supervisor.start();
    await waitFor(() => supervisor.restartsOf('crashy') >= 2, { timeoutMs: 10_000, message: 'two restarts' });
    expect(text).toMatch(/^steady \| up$/m);
    expect(text).toMatch(/^crashy \| 00:00:00 error boom$/m);
    expect(text).toMatch(/^crashy \| exited \(3\); restarting in 0\.\d s$/m);
    const pids = supervisor.pids();
    expect(pids.length).toBeGreaterThan(0);
    await supervisor.stop();
    expect(pids.filter(alive)).toEqual([]);
  });

  it('passes non-JSON lines through and formats pino lines', () => {
    expect(formatLogLine('plain')).toBe('plain');
    expect(formatLogLine('{"level":30,"time":0,"msg":"hi","projector":"x","lag":3}')).toBe(
      '00:00:00 info  hi  lag=3',
    );
  });
});
