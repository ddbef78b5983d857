// Runs the real gateway (the shaded jar the gateway module just built) as a child process for end-to-end tests.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const jar = path.join(repoRoot, 'gateway/target/tickgate.jar');
const flagsFile = path.join(repoRoot, 'gateway/target/jvm.flags');

function jvmFlags() {
  for (const f of [jar, flagsFile]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: build the gateway first (mvn -pl gateway -am package)`);
  }
  const flags = fs.readFileSync(flagsFile, 'utf8').trim().split(/\s+/);
  // Same rule as the launcher: Java 24+ needs this flag, Java 17 refuses it.
  const version = spawnSync('java', ['-XshowSettings:properties', '-version'], { encoding: 'utf8' }).stderr ?? '';
  const spec = /java\.specification\.version = (\d+)/.exec(version);
  if (spec && Number(spec[1]) >= 24) flags.push('--sun-misc-unsafe-memory-access=allow');
  return flags;
}

/**
 * Starts `tickgate gateway` and resolves once it prints its listening line, with `{ httpPort, feedPort, stop() }`.
 * Ports default to 0 (any free one); a restart passes the previous ports back in.
 */
export async function startGateway({ httpPort = 0, feedPort = 0, args = [] } = {}) {
  const child = spawn('java', [...jvmFlags(), '-jar', jar, 'gateway', '--bind', '127.0.0.1',
    '--http-port', String(httpPort), '--feed-port', String(feedPort), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ports = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start within 30 s:\n${output}`)), 30000);
    const onData = (chunk) => {
      output += chunk;
      const m = /tickgate listening http=[^\s:]+:(\d+) feed=[^\s:]+:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ httpPort: Number(m[1]), feedPort: Number(m[2]) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(({ code }) => reject(new Error(`gateway exited with ${code} before listening:\n${output}`)));
  });
  return {
    ...ports,
    url: `http://127.0.0.1:${ports.httpPort}/`,
    output: () => output,
    /** SIGTERM (every session gets 1001 going away), then wait for the process to end. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
