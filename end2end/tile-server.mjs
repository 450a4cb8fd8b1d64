// A map tile server for the browser tests (the portal's map takes its tiles from any XYZ server
// a city configures; there is no internet here): GET /{z}/{x}/{y}.svg answers a 256 px tile
// with a grid and its own coordinates, anything else 404.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
createServer((req, res) => {
  const m = /^\/(\d{1,2})\/(\d+)\/(\d+)\.svg$/.exec(req.url ?? '');
  if (req.method !== 'GET' || !m) {
    res.writeHead(404).end();
    return;
  }
  const [, z, x, y] = m;
  res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600' });
  res.end(`<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">` +
    `<rect width="256" height="256" fill="#eef2e6" stroke="#c9d2bd"/>` +
    `<text x="8" y="20" font-size="12" fill="#7a8570">${z}/${x}/${y}</text></svg>`);
}).listen(port, '127.0.0.1');
