/**
 * What an answer's size alone costs on this machine: a bare Node HTTP server (another process, no
 * Express, no database) sends a body of 1 kB (the trivial route's order of size) or of a search
 * answer's 17.6 kB (20 results), and autocannon at 10 connections asks for each in turn, as
 * bench/search-load.ts asks the app. The ratio is what any route that sends a search answer's
 * bytes could reach of a route that sends 1 kB, before it does any work: a reference for the search
 * ratios of issue 14, not a target.
 *
 *   npx tsx bench/answer-size-floor.ts [--bytes 17634] [--duration 5] [--rounds 3]
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { load, type LoadResult } from './http-load.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const bytes = option('bytes', 17_634);
const duration = option('duration', 5);
const rounds = option('rounds', 3);

// The server: the body by path, sent as the app sends a search answer (one Buffer, Content-Length, no-store).
const serverSource = `
const http = require('node:http');
const small = Buffer.alloc(1000, 0x61);
const large = Buffer.alloc(${bytes}, 0x61);
const server = http.createServer((request, response) => {
  const body = request.url === '/large' ? large : small;
  response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;
const child = spawn(process.execPath, ['-e', serverSource], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once('line', resolve));

const base = `http://127.0.0.1:${port}`;
const figures = (result: LoadResult): string =>
  `${result.label} ${result.rps.toFixed(0)} req/s (server ${(result.cpuMicroseconds ?? Number.NaN).toFixed(0)}, load generator ${result.loadGeneratorMicroseconds.toFixed(0)} µs/request)`;

console.log(`answer-size floor: 1,000 B against ${bytes.toLocaleString('en')} B, ${duration} s each, ${rounds} rounds`);
const ratios: number[] = [];
for (let round = 1; round <= rounds; round += 1) {
  const small = await load('1 kB', base, ['/small'], duration, child.pid);
  const large = await load(`${(bytes / 1000).toFixed(1)} kB`, base, ['/large'], duration, child.pid);
  ratios.push(large.rps / small.rps);
  console.log(`  round ${round}: ${figures(small)}, ${figures(large)} = ${(ratios.at(-1)! * 100).toFixed(0)} %`);
}
console.log(`  the larger answer reaches ${(Math.min(...ratios) * 100).toFixed(0)}–${(Math.max(...ratios) * 100).toFixed(0)} % of the 1 kB rate`);
child.kill();
