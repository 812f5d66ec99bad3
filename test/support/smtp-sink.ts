// A real SMTP server on 127.0.0.1 for email tests: smtp-server receives, mailparser's simpleParser
// reads back what a mail client would show. Failures are scripted per SMTP command.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** SmtpCommand is where a scripted failure answers: the connection greeting, AUTH, MAIL FROM, RCPT TO or DATA. */
export type SmtpCommand = 'CONNECT' | 'AUTH' | 'MAIL' | 'RCPT' | 'DATA';

/** ReceivedMail is one accepted message: the SMTP envelope, the session's facts and the parsed message. */
export interface ReceivedMail {
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  /** user: the authenticated user name, when the client authenticated. */
  readonly user: string | undefined;
  /** secure: the message came over TLS (STARTTLS). */
  readonly secure: boolean;
  /** hello: the name the client gave in EHLO/HELO. */
  readonly hello: string;
  readonly mail: ParsedMail;
}

export interface SmtpSinkOptions {
  /** auth: the only credentials the server accepts (PLAIN or LOGIN); without it no AUTH is offered. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** starttls: offer STARTTLS with smtp-server's built-in self-signed certificate (default off). */
  readonly starttls?: boolean;
}

/** Failure is a scripted reply, or a stall: no reply until the sink stops. */
type Failure = { readonly code: number; readonly message: string } | 'stall';

/**
 * SmtpSink is a running SMTP server. `failNext(command, code)` makes the next use of a command
 * fail with that reply code (once); `stop()` closes the listening socket so connections are
 * refused, as when the mail server is down. `stallNext(command)` leaves the next use of a command
 * unanswered, for timeouts and aborts.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** attempts counts the connections the server saw, accepted or not. */
  attempts = 0;
  private readonly failures = new Map<SmtpCommand, Failure[]>();
  private readonly stalled: (() => void)[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    // run answers a command: with the scripted failure, after a stall, or with `ok`.
    const run = (command: SmtpCommand, reply: (err: Error | null) => void): void => sink!.answer(command, reply);
    const disabledCommands: string[] = [];
    if (opts.auth === undefined) disabledCommands.push('AUTH');
    if (opts.starttls !== true) disabledCommands.push('STARTTLS');
    const server = new SMTPServer({
      disabledCommands,
      authOptional: opts.auth === undefined,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      closeTimeout: 100,
      disableReverseLookup: true,
      onConnect(_session, cb) {
        sink!.attempts++;
        run('CONNECT', (err) => cb(err));
      },
      onAuth(auth, _session, cb) {
        run('AUTH', (err) => {
          if (err !== null) return cb(err);
          if (opts.auth !== undefined && auth.username === opts.auth.username && auth.password === opts.auth.password) return cb(null, { user: auth.username });
          return cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
        });
      },
      onMailFrom(_address, _session, cb) {
        run('MAIL', (err) => cb(err));
      },
      onRcptTo(_address, _session, cb) {
        run('RCPT', (err) => cb(err));
      },
      onData(stream, session, cb) {
        // The message is read to its end before any reply, as SMTP requires.
        const mail = simpleParser(stream);
        mail.then(
          (m) =>
            run('DATA', (err) => {
              if (err === null) sink!.messages.push(received(session, m));
              cb(err);
            }),
          (e: Error) => cb(e),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.on('error', () => {
      // Client-side resets during failure tests are expected.
    });
    const address = server.server.address() as AddressInfo;
    sink = new SmtpSink(server, address.port);
    return sink;
  }

  /** failNext makes the next `command` fail with `code` (and `message`); several calls queue up. */
  failNext(command: SmtpCommand, code: number, message = `scripted failure ${code}`): void {
    const queue = this.failures.get(command) ?? [];
    queue.push({ code, message });
    this.failures.set(command, queue);
  }

  /** waiting counts the commands left unanswered by stallNext so far. */
  get waiting(): number {
    return this.stalled.length;
  }

  /** stallNext leaves the next `command` unanswered until the sink stops. */
  stallNext(command: SmtpCommand): void {
    const queue = this.failures.get(command) ?? [];
    queue.push('stall');
    this.failures.set(command, queue);
  }

  private answer(command: SmtpCommand, reply: (err: Error | null) => void): void {
    const f = this.failures.get(command)?.shift();
    if (f === undefined) return reply(null);
    if (f === 'stall') {
      this.stalled.push(() => reply(Object.assign(new Error('shutting down'), { responseCode: 421 })));
      return;
    }
    reply(Object.assign(new Error(f.message), { responseCode: f.code }));
  }

  /** stop closes the server: new connections are refused, stalled commands get a 421. */
  stop(): Promise<void> {
    for (const release of this.stalled.splice(0)) release();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function received(session: SMTPServerSession, mail: ParsedMail): ReceivedMail {
  const from = session.envelope.mailFrom;
  return {
    envelope: { from: from === false ? '' : from.address, to: session.envelope.rcptTo.map((r) => r.address) },
    user: typeof session.user === 'string' ? session.user : undefined,
    secure: session.secure,
    hello: session.hostNameAppearsAs,
    mail,
  };
}
