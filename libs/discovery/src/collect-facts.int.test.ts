import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFacts } from './collect-facts.js';
import type { Facts } from './facts.js';

// The real machine, read twice: by discovery and by Node/the OS directly; the two must agree.
let facts: Facts;
let listener: Server;
let listenerPort: number;

beforeAll(async () => {
  // A socket of our own, so there is a listening service whose process, port and executable are known.
  listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerPort = (listener.address() as { port: number }).port;
  facts = await collectFacts({ sampleMs: 500 });
});

afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
});

const isLinkLocal = (ip: string) => /^169\.254\./.test(ip) || /^fe[89ab][0-9a-f]:/i.test(ip);

describe('collectFacts on this machine', () => {
  it('reports the hostname, CPUs and kernel the OS reports', () => {
    expect(facts.hostname).toBe(os.hostname());
    expect(facts.cpu.cores).toBe(os.cpus().length);
    expect(facts.cpu.model).not.toBe('');
    expect(facts.os.kernel).toBe(os.release());
  });

  it('reports /proc/meminfo MemTotal in MB', () => {
    const kb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    expect(Math.abs(facts.memoryMb - kb / 1024)).toBeLessThanOrEqual(1);
  });

  it('names the distribution of /etc/os-release', () => {
    const release = readFileSync('/etc/os-release', 'utf8');
    const name = /^NAME="?([^"\n]+)"?/m.exec(release)?.[1];
    expect(facts.os.distro).toBe(name);
  });

  it('reports every non-loopback interface with its MAC and addresses as os.networkInterfaces() does', () => {
    const expected = Object.entries(os.networkInterfaces()).filter(
      ([name, addrs]) => !name.startsWith('veth') && !(addrs ?? []).every((a) => a.internal),
    );
    expect(facts.interfaces.map((i) => i.name).sort()).toEqual(expected.map(([name]) => name).sort());
    for (const [name, addrs = []] of expected) {
      const found = facts.interfaces.find((i) => i.name === name);
      const mac = addrs[0]?.mac;
      if (mac && mac !== '00:00:00:00:00:00') expect(found?.mac).toBe(mac.toLowerCase());
      const cidrs = addrs.flatMap((a) => (a.cidr && !isLinkLocal(a.address) ? [a.cidr] : []));
      expect(found?.ips.sort()).toEqual(cidrs.sort());
    }
    expect(facts.interfaces.some((i) => i.kind === 'loopback')).toBe(false);
  });

  it('sees its own listening socket, with process and executable', () => {
    const own = facts.services.find((s) => s.port === listenerPort && s.address === '127.0.0.1');
    expect(own).toMatchObject({
      protocol: 'tcp',
      pid: process.pid,
      executable: realpathSync(process.execPath),
    });
    // listen(0) takes a port from the kernel's ephemeral range.
    expect(own?.ephemeral).toBe(true);
  });

  it('lists Debian packages with dpkg-query, or reports dpkg absent', () => {
    const dpkg = facts.softwareManagers.find((m) => m.manager === 'dpkg');
    if (!existsSync('/var/lib/dpkg/status')) {
      expect(dpkg).toMatchObject({ available: false, count: 0 });
      return;
    }
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${field} format, not JS
    const version = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'dpkg'], { encoding: 'utf8' });
    expect(dpkg).toMatchObject({ available: true });
    expect(dpkg?.count).toBeGreaterThan(50);
    expect(facts.software).toContainEqual({ manager: 'dpkg', name: 'dpkg', version });
  });

  it('decides a resource type and says which marker decided', () => {
    expect(['physical_server', 'virtual_machine', 'container']).toContain(facts.platform.resourceType);
    expect(facts.platform.evidence.at(-1)).toBe(`decided by: ${facts.platform.decidedBy}`);
    if (existsSync('/run/.containerenv')) expect(facts.platform.resourceType).toBe('container');
  });

  it('measures utilization as ratios in [0, 1] and uptime as the OS reports it', () => {
    const u = facts.utilization;
    for (const ratio of [u.cpu, u.memory, u.disk]) {
      expect(ratio).toBeGreaterThanOrEqual(0);
      expect(ratio).toBeLessThanOrEqual(1);
    }
    expect(u.memory).toBeGreaterThan(0);
    expect(u.networkMbps).toBeGreaterThanOrEqual(0);
    expect(Math.abs(u.uptimeSeconds - os.uptime())).toBeLessThan(60);
    expect(facts.storage.totalGb).toBeGreaterThan(0);
  });
});
