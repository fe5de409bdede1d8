// The service account controller's visible part: every active namespace has
// a ServiceAccount named `default` (pods run as it unless they name another),
// recreated if someone deletes it. Tokens are not issued yet.

import { InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { WorkQueue } from '../queue.ts';

const DEFAULT_ACCOUNT = 'default';

export class ServiceAccountController {
  private readonly queue: WorkQueue;

  constructor(
    private readonly client: Client,
    private readonly informers: InformerFactory,
    log: (msg: string, err?: unknown) => void = () => {},
  ) {
    this.queue = new WorkQueue((ns) => this.sync(ns), { onError: (k, e) => log(`serviceaccount ${k}: sync failed`, e) });
    informers.for(R.namespaces).addHandler({
      add: (ns) => this.queue.add(ns.metadata.name!),
      update: (_o, ns) => this.queue.add(ns.metadata.name!),
    });
    informers.for(R.serviceaccounts).addHandler({
      delete: (sa) => {
        if (sa.metadata.name === DEFAULT_ACCOUNT) this.queue.add(sa.metadata.namespace!);
      },
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private async sync(namespace: string): Promise<void> {
    const ns = this.informers.for(R.namespaces).get(undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
    if (this.informers.for(R.serviceaccounts).get(namespace, DEFAULT_ACCOUNT)) return;
    const sa: KObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_ACCOUNT, namespace } };
    try {
      await this.client.create(R.serviceaccounts, namespace, sa);
    } catch (e) {
      const reason = (e as { reason?: string }).reason;
      // Already there (the cache was behind), or the namespace started terminating or went meanwhile.
      if (reason === 'AlreadyExists' || reason === 'Forbidden' || reason === 'NotFound') return;
      throw e;
    }
  }
}
