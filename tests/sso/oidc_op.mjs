// A real OpenID Connect provider for the tests (node-oidc-provider, certified), on loopback.
// The test decides who signs in: the interaction URL is visited with ?account=<id>&amr=a,b,
// standing in for the municipality's login page, whose own password and second factor are
// not ours to test. Configuration comes as JSON in OP_CONFIG:
//   {"clients": [{client_id, client_secret, redirect_uris}], "accounts": {id: {claims}}}
// Prints "listening <port>" once it answers.
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OP_CONFIG);
const server = http.createServer();
// Set by a test through GET /__test_mode?mode=...: "tamper" alters the ID token of the next
// token responses after signing (it claims a second factor the person did not use), "short"
// issues ID tokens valid for 60 seconds; "" is the honest provider.
let mode = '';

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: config.clients.map((client) => ({
      token_endpoint_auth_method: 'client_secret_post',
      ...client,
    })),
    claims: {
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name', 'groups'],
    },
    cookies: { keys: ['test-only-cookie-key'] },
    ttl: { IdToken: () => (mode === 'short' ? 60 : 3600) },
    features: { devInteractions: { enabled: false } },
    async findAccount(ctx, id) {
      const claims = config.accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
  });

  provider.use(async (ctx, next) => {
    if (ctx.path === '/__test_mode') {
      mode = String(ctx.query.mode || '');
      ctx.body = { mode };
      return undefined;
    }
    await next();
    if (mode === 'tamper' && ctx.path === '/token' && ctx.body && ctx.body.id_token) {
      const parts = ctx.body.id_token.split('.');
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
      claims.amr = ['mfa', 'pwd'];
      parts[1] = Buffer.from(JSON.stringify(claims)).toString('base64url');
      ctx.body = { ...ctx.body, id_token: parts.join('.') };
    }
    return undefined;
  });

  provider.use(async (ctx, next) => {
    const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const accountId = ctx.query.account;
    if (!accountId || !config.accounts[accountId]) {
      ctx.status = 400;
      ctx.body = 'unknown account';
      return undefined;
    }
    const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    const amr = ctx.query.amr ? String(ctx.query.amr).split(',') : undefined;
    ctx.respond = false;
    await provider.interactionFinished(ctx.req, ctx.res, {
      login: { accountId, amr },
      consent: { grantId },
    });
    return undefined;
  });

  server.on('request', provider.callback());
  process.stdout.write(`listening ${port}\n`);
});
