// Request paths as kubectl and client libraries send them, against what
// Kubernetes' RequestInfoFactory makes of them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseResourcePath, type ResourceRequest } from './request-info.ts';

const parse = (method: string, url: string): ResourceRequest | undefined => {
  const u = new URL(url, 'https://localhost');
  return parseResourcePath(method, u.pathname, u.searchParams);
};

/** The parse with undefined fields left out, for readable deepEquals. */
const info = (method: string, url: string) => {
  const rr = parse(method, url);
  return rr && Object.fromEntries(Object.entries(rr).filter(([, v]) => v !== undefined));
};

describe('parseResourcePath', () => {
  it('core and named groups, namespaced and cluster-scoped, collection and item', () => {
    assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods'), { group: '', version: 'v1', namespace: 'default', resource: 'pods', verb: 'list' });
    assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods/web'), { group: '', version: 'v1', namespace: 'default', resource: 'pods', name: 'web', verb: 'get' });
    assert.deepEqual(info('GET', '/api/v1/pods'), { group: '', version: 'v1', resource: 'pods', verb: 'list' });
    assert.deepEqual(info('GET', '/api/v1/nodes/node-1'), { group: '', version: 'v1', resource: 'nodes', name: 'node-1', verb: 'get' });
    assert.deepEqual(info('GET', '/apis/apps/v1/namespaces/team/deployments/web'), {
      group: 'apps',
      version: 'v1',
      namespace: 'team',
      resource: 'deployments',
      name: 'web',
      verb: 'get',
    });
    assert.deepEqual(info('GET', '/apis/networking.k8s.io/v1/ingressclasses'), { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', verb: 'list' });
  });

  it('subresources, and nothing past them', () => {
    assert.deepEqual(info('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale'), {
      group: 'apps',
      version: 'v1',
      namespace: 'default',
      resource: 'deployments',
      name: 'web',
      subresource: 'scale',
      verb: 'update',
    });
    assert.equal(parse('GET', '/api/v1/nodes/n1/status')?.subresource, 'status');
    assert.equal(parse('GET', '/api/v1/namespaces/default/pods/web/log/extra'), undefined);
  });

  it('namespaces themselves: item, status and finalize subresources', () => {
    assert.deepEqual(info('GET', '/api/v1/namespaces'), { group: '', version: 'v1', resource: 'namespaces', verb: 'list' });
    assert.deepEqual(info('DELETE', '/api/v1/namespaces/team'), { group: '', version: 'v1', resource: 'namespaces', name: 'team', verb: 'delete' });
    assert.deepEqual(info('PUT', '/api/v1/namespaces/team/finalize'), { group: '', version: 'v1', resource: 'namespaces', name: 'team', subresource: 'finalize', verb: 'update' });
    assert.deepEqual(info('PATCH', '/api/v1/namespaces/team/status'), { group: '', version: 'v1', resource: 'namespaces', name: 'team', subresource: 'status', verb: 'patch' });
  });

  it('objects named status or finalize are objects, and namespaces may be named like subresources', () => {
    assert.deepEqual(info('GET', '/api/v1/namespaces/default/configmaps/status'), {
      group: '',
      version: 'v1',
      namespace: 'default',
      resource: 'configmaps',
      name: 'status',
      verb: 'get',
    });
    assert.deepEqual(info('GET', '/api/v1/namespaces/status'), { group: '', version: 'v1', resource: 'namespaces', name: 'status', verb: 'get' });
    assert.deepEqual(info('GET', '/api/v1/namespaces/finalize/configmaps'), { group: '', version: 'v1', namespace: 'finalize', resource: 'configmaps', verb: 'list' });
    assert.deepEqual(info('PUT', '/api/v1/namespaces/status/status'), { group: '', version: 'v1', resource: 'namespaces', name: 'status', subresource: 'status', verb: 'update' });
  });

  it('the legacy /watch/ prefix and ?watch make GETs watches', () => {
    assert.deepEqual(info('GET', '/api/v1/watch/namespaces/default/pods'), { group: '', version: 'v1', namespace: 'default', resource: 'pods', verb: 'watch' });
    assert.deepEqual(info('GET', '/apis/apps/v1/watch/deployments'), { group: 'apps', version: 'v1', resource: 'deployments', verb: 'watch' });
    assert.deepEqual(info('GET', '/api/v1/watch/namespaces/default/pods/web'), { group: '', version: 'v1', namespace: 'default', resource: 'pods', name: 'web', verb: 'watch' });
    assert.deepEqual(info('GET', '/api/v1/watch/namespaces/team'), { group: '', version: 'v1', resource: 'namespaces', name: 'team', verb: 'watch' });
    assert.equal(parse('GET', '/api/v1/namespaces/default/pods?watch=true')?.verb, 'watch');
    assert.equal(parse('GET', '/api/v1/namespaces/default/pods?watch=1')?.verb, 'watch');
    assert.equal(parse('GET', '/api/v1/namespaces/default/pods?watch=false')?.verb, 'list');
    assert.equal(parse('GET', '/api/v1/namespaces/default/pods?watch=0')?.verb, 'list');
  });

  it(
    '?watch is true unless it is "0" or "false" (any case), as Kubernetes reads bool parameters',
    () => {
      assert.equal(parse('GET', '/api/v1/namespaces/default/pods?watch=True')?.verb, 'watch');
      assert.equal(parse('GET', '/api/v1/namespaces/default/pods?watch')?.verb, 'watch');
      assert.equal(parse('GET', '/api/v1/namespaces/default/pods?watch=FALSE')?.verb, 'list');
    },
  );

  it('verbs follow the method, and collection vs item', () => {
    const verbs = (url: string) => ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => parse(m, url)?.verb);
    assert.deepEqual(verbs('/api/v1/namespaces/default/configmaps'), ['list', 'list', 'create', 'update', 'patch', 'deletecollection']);
    assert.deepEqual(verbs('/api/v1/namespaces/default/configmaps/c'), ['get', 'get', 'create', 'update', 'patch', 'delete']);
    assert.equal(parse('OPTIONS', '/api/v1/namespaces/default/configmaps'), undefined);
  });

  it('decodes escaped segments and refuses malformed escapes; discovery paths are not resource paths', () => {
    assert.equal(parse('GET', '/api/v1/namespaces/default/configmaps/a%3Ab')?.name, 'a:b');
    assert.equal(parse('GET', '/api/v1/namespaces/default/configmaps/%E0%A4%A'), undefined);
    for (const p of ['/', '/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/version', '/openapi/v2', '/healthz']) {
      assert.equal(parse('GET', p), undefined, p);
    }
  });
});
