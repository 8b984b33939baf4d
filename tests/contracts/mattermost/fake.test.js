// The project's fake Mattermost (tests/OrleansReleases.FakeMattermost) driven by Mattermost's
// official client, @mattermost/client: Client4 for REST and WebSocketClient for the socket. The
// bot is tested against the fake, so the fake must speak the protocol the real client speaks.
// Where the two disagreed, the client won and the fake was fixed (see the test names).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import mattermost from '@mattermost/client';

const { Client4, WebSocketClient } = mattermost;

// WebSocketClient checks `WebSocket.OPEN` on the global and may build a CloseEvent (Node 20 has
// neither unless flagged); the socket itself comes from `ws` through newWebSocketFn.
globalThis.WebSocket ??= WebSocket;
globalThis.CloseEvent ??= class CloseEvent extends Event {
  constructor(type, init = {}) { super(type); this.code = init.code; this.wasClean = init.wasClean; }
};

const here = dirname(fileURLToPath(import.meta.url));
const dll = resolve(here, '../../OrleansReleases.FakeMattermost/bin/Debug/net10.0/OrleansReleases.FakeMattermost.dll');
const BOT_TOKEN = 'bot-token-s3cr3t-value';
const BOT_ID = 'botuserid00000000000000000';
const CHANNEL = 'contract-channel';

let fake;
let url;

before(async () => {
  assert.ok(existsSync(dll), `build the solution first: ${dll} is missing`);
  fake = spawn('dotnet', [dll, '--port', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  process.once('exit', () => fake.kill('SIGKILL')); // whatever happens, nothing outlives the test
  url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error('the fake did not start within 30 s')), 30_000);
    let out = '';
    fake.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    fake.on('exit', (code) => reject(new Error(`the fake exited (${code})`)));
  });
});

after(async () => {
  if (fake && fake.exitCode === null) {
    const exited = new Promise((r) => fake.once('exit', r));
    fake.stdin.end(); // the fake stops when its stdin closes
    const timer = setTimeout(() => fake.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
});

function client(token) {
  const c = new Client4();
  c.setUrl(url);
  c.setToken(token);
  return c;
}

/** A WebSocketClient as the webapp uses it, recording every event and reconnect callback. */
function socket() {
  const ws = new WebSocketClient({
    newWebSocketFn: (u) => new WebSocket(u),
    minWebSocketRetryTime: 50,
    reconnectJitterRange: 10,
    clientPingInterval: 60_000,
  });
  const events = [];
  const missed = [];
  const closes = [];
  const waiters = [];
  const notify = () => { for (const w of [...waiters]) w(); };
  ws.addMessageListener((msg) => { events.push(msg); notify(); });
  ws.addMissedMessageListener(() => { missed.push(Date.now()); notify(); });
  ws.addCloseListener((failCount) => { closes.push(failCount); notify(); });
  const until = (what, condition, ms = 10_000) => new Promise((res, rej) => {
    const check = () => {
      if (condition()) {
        waiters.splice(waiters.indexOf(check), 1);
        clearTimeout(timer);
        res();
      }
    };
    const timer = setTimeout(() => { waiters.splice(waiters.indexOf(check), 1); rej(new Error(`waited ${ms} ms for ${what}; events: ${JSON.stringify(events.map((e) => [e.event, e.seq]))}`)); }, ms);
    waiters.push(check);
    check();
  });
  return { ws, events, missed, closes, until };
}

const wsUrl = () => url.replace(/^http/, 'ws') + '/api/v4/websocket';
const posted = (events) => events.filter((e) => e.event === 'posted').map((e) => ({ ...e, post: JSON.parse(e.data.post) }));

test('Client4 reads the bot (users/me), users by id and by username, and the bot\'s channels', async () => {
  const bot = client(BOT_TOKEN);
  const me = await bot.getMe();
  assert.equal(me.id, BOT_ID);
  assert.equal(me.username, 'pusheen');
  assert.equal((await bot.getUser('user-alice')).username, 'alice');
  assert.equal((await bot.getUserByUsername('alice')).id, 'user-alice');
  await assert.rejects(bot.getUserByUsername('channel'), (e) => e.status_code === 404);
  await client('alice-token').createPost({ channel_id: CHANNEL, message: 'hello' });
  const channels = await bot.getAllTeamsChannels();
  assert.ok(channels.some((c) => c.id === CHANNEL));
});

test('a wrong token is refused: 401 on REST, and the socket is closed instead of answered', async () => {
  await assert.rejects(client('wrong').getMe(), (e) => e.status_code === 401);
  const s = socket();
  s.ws.initialize(wsUrl(), 'wrong');
  await s.until('the socket to close', () => s.closes.length >= 1);
  s.ws.close();
  assert.equal(s.events.length, 0);
});

test('WebSocketClient authenticates, gets hello (connection_id, seq 0) and posted events with data.post and data.mentions as JSON strings', async () => {
  const s = socket();
  s.ws.initialize(wsUrl(), BOT_TOKEN);
  await s.until('hello', () => s.events.some((e) => e.event === 'hello'));
  const hello = s.events[0];
  assert.equal(hello.event, 'hello');
  assert.equal(hello.seq, 0);
  assert.match(hello.data.connection_id, /^[a-z0-9]{26}$/);
  assert.equal(s.ws.connectionId, hello.data.connection_id);

  const alice = client('alice-token');
  const created = await alice.createPost({ channel_id: CHANNEL, message: '(@pusheen) help, and `@bob` in code' });
  await s.until('posted', () => posted(s.events).some((e) => e.post.id === created.id));
  const event = posted(s.events).find((e) => e.post.id === created.id);
  assert.equal(event.post.user_id, 'user-alice');
  assert.equal(event.data.sender_name, '@alice');
  assert.deepEqual(JSON.parse(event.data.mentions), [BOT_ID]); // not bob: his mention is in code
  // The client checks the sequence of every event; a gap would have closed the socket.
  assert.deepEqual(s.events.map((e) => e.seq), s.events.map((_, i) => i));
  s.ws.close();
});

test('a reconnect with connection_id and sequence_number resumes: the missed events, no new hello (fake fixed: it used to start over)', async () => {
  const s = socket();
  s.ws.initialize(wsUrl(), BOT_TOKEN);
  await s.until('hello', () => s.events.length >= 1);
  const id = s.ws.connectionId;

  let reconnected = 0;
  s.ws.addReconnectListener(() => { reconnected += 1; });
  const res = await fetch(`${url}/_fake/drop-sockets`, { method: 'POST' });
  assert.equal(res.status, 204);
  const created = await client('alice-token').createPost({ channel_id: CHANNEL, message: '@pusheen releases' });
  await s.until('the missed post after the reconnect', () => posted(s.events).some((e) => e.post.id === created.id));

  assert.ok(reconnected >= 1);
  assert.equal(s.ws.connectionId, id);
  assert.equal(s.missed.length, 0, 'a resume is no missed-events case');
  assert.equal(s.events.filter((e) => e.event === 'hello').length, 1);
  assert.deepEqual(s.events.map((e) => e.seq), s.events.map((_, i) => i));
  s.ws.close();
});

test('when the server forgot the connection, a new hello with another connection_id tells the client it missed events', async () => {
  const s = socket();
  s.ws.initialize(wsUrl(), BOT_TOKEN);
  await s.until('hello', () => s.events.length >= 1);
  const first = s.ws.connectionId;

  await fetch(`${url}/_fake/forget-connections`, { method: 'POST' });
  await fetch(`${url}/_fake/drop-sockets`, { method: 'POST' });
  await s.until('the missed-events callback', () => s.missed.length >= 1);
  await s.until('the second hello', () => s.events.filter((e) => e.event === 'hello').length === 2);

  assert.notEqual(s.ws.connectionId, first);
  const created = await client('alice-token').createPost({ channel_id: CHANNEL, message: 'after the restart' });
  await s.until('posted on the new connection', () => posted(s.events).some((e) => e.post.id === created.id));
  // What was missed is read over REST, as the bot does: the channel's posts since a time.
  const since = await client(BOT_TOKEN).getPostsSince(CHANNEL, created.create_at - 1);
  assert.ok(since.order.includes(created.id));
  assert.equal(since.posts[created.id].message, 'after the restart');
  s.ws.close();
});

test('Client4 creates and patches posts; past the edit time limit a patch is refused with the server\'s error id', async () => {
  const bot = client(BOT_TOKEN);
  const post = await bot.createPost({ channel_id: CHANNEL, message: 'first', props: { orleans_releases_notice: 'r1/3' } });
  assert.equal(post.user_id, BOT_ID);
  assert.equal(post.props.orleans_releases_notice, 'r1/3');
  const patched = await bot.patchPost({ id: post.id, message: 'second' });
  assert.equal(patched.message, 'second');
  assert.ok(patched.edit_at >= post.create_at);

  await fetch(`${url}/_fake/edit-time-limit/0`, { method: 'POST' });
  try {
    await new Promise((r) => setTimeout(r, 5)); // the post must be older than the limit (0 s)
    await assert.rejects(bot.patchPost({ id: post.id, message: 'third' }),
      (e) => e.status_code === 400 && e.server_error_id === 'api.post.update_post.permissions_time_limit.app_error');
  } finally {
    await fetch(`${url}/_fake/edit-time-limit/-1`, { method: 'POST' });
  }
});
