import http from 'node:http';

/**
 * The floor of the alerting bench: a Node.js process that does the same I/O as vigil and
 * nothing else. It takes the alerts at POST /api/v2/alerts (reading and parsing the JSON) and,
 * once all have arrived, posts each group's alerts to the webhook sink as one JSON body, four at
 * a time on keep-alive connections, as vigil's delivery queue does; and so again for each further
 * batch of ALERTS. Its CPU is what any Node.js implementation pays before routing, grouping or
 * recording anything.
 *
 * Usage: node alerting-floor.js PORT SINK_URL ALERTS
 */
const [port, sinkURL, total] = [Number(process.argv[2]), process.argv[3]!, Number(process.argv[4])];
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let groups = new Map<string, unknown[]>();
let received = 0;

function deliver(): void {
  const batch = groups;
  groups = new Map();
  const bodies = [...batch].map(([group, alerts]) => JSON.stringify({ version: '4', status: 'firing', receiver: 'sink', groupLabels: { group }, alerts }));
  let next = 0;
  let inFlight = 0;
  const pump = () => {
    while (inFlight < 4 && next < bodies.length) {
      const body = bodies[next++]!;
      inFlight++;
      const req = http.request(sinkURL, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          inFlight--;
          pump();
        });
      });
      req.end(body);
    }
  };
  pump();
}

http
  .createServer((req, res) => {
    if (req.url === '/-/ready') return void res.writeHead(200).end('ready');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const alerts = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { labels: { group: string } }[];
      for (const a of alerts) {
        let g = groups.get(a.labels.group);
        if (g === undefined) groups.set(a.labels.group, (g = []));
        g.push(a);
      }
      received += alerts.length;
      res.writeHead(200).end();
      if (received % total === 0) deliver();
    });
  })
  .listen(port, '127.0.0.1');
