// A real SMTP server (nodemailer's smtp-server) on loopback for the browser tests: every message
// it accepts is written as an .eml file into the folder given, where the tests read it.
import { SMTPServer } from 'smtp-server';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [port, dir] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
let count = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      count += 1;
      writeFileSync(join(dir, `${Date.now()}-${count}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
server.listen(Number(port), '127.0.0.1');
