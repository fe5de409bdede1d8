// The controller manager: every built-in controller of `skiff server` and
// the scheduler, fed by one set of shared informers, each writing through its
// own client (so managedFields name it) and recording Events as its
// component, with the names Kubernetes' components use.

import type { Registry } from '../apiserver/registry/registry.ts';
import { EventRecorder } from '../client/events.ts';
import { InformerFactory } from '../client/informer.ts';
import { LocalClient } from '../client/local.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { CronJobController } from './cronjob/cronjob-controller.ts';
import { DeploymentController } from './deployment/deployment-controller.ts';
import { EndpointsController } from './endpoints/endpoints-controller.ts';
import { EndpointSliceController } from './endpointslice/endpointslice-controller.ts';
import { EndpointSliceMirroringController } from './endpointslice/mirroring-controller.ts';
import { GarbageCollector } from './garbage-collector/garbage-collector.ts';
import { JobController } from './job/job-controller.ts';
import { NamespaceController } from './namespace/namespace-controller.ts';
import { ReplicaSetController } from './replicaset/replicaset-controller.ts';
import { ServiceAccountController } from './serviceaccount/serviceaccount-controller.ts';
import { TtlAfterFinishedController } from './ttl-after-finished/ttl-controller.ts';

export interface ControllerManagerOptions {
  clock?: () => Date;
  log?: (msg: string, err?: unknown) => void;
}

export interface ControllerManager {
  informers: InformerFactory;
  stop(): void;
}

interface Stoppable {
  start?(): Promise<void> | void;
  stop(): void;
}

export async function startControllers(registry: Registry, opts: ControllerManagerOptions = {}): Promise<ControllerManager> {
  const log = opts.log ?? (() => {});
  const clock = opts.clock ?? (() => new Date());
  const informers = new InformerFactory(new LocalClient(registry, 'skiff-informers'), log);
  const client = (name: string) => new LocalClient(registry, name);
  const recorder = (component: string) => new EventRecorder(client(component), { component }, clock, log);
  const common = (component: string) => ({ clock, log, recorder: recorder(component) });
  const controllers: Stoppable[] = [
    new NamespaceController(registry, log),
    new GarbageCollector(registry, log),
    new ServiceAccountController(client('service-account-controller'), informers, log),
    new ReplicaSetController(client('replicaset-controller'), informers, common('replicaset-controller')),
    new DeploymentController(client('deployment-controller'), informers, common('deployment-controller')),
    new JobController(client('job-controller'), informers, common('job-controller')),
    new CronJobController(client('cronjob-controller'), informers, common('cronjob-controller')),
    new EndpointsController(client('endpoint-controller'), informers, common('endpoint-controller')),
    new EndpointSliceController(client('endpointslice-controller'), informers, common('endpointslice-controller')),
    new EndpointSliceMirroringController(client('endpointslicemirroring-controller'), informers, common('endpointslicemirroring-controller')),
    new TtlAfterFinishedController(client('ttl-after-finished-controller'), informers, common('ttl-after-finished-controller')),
    new Scheduler(client('default-scheduler'), informers, common('default-scheduler')),
  ];
  for (const c of controllers) await c.start?.();
  await informers.start();
  return {
    informers,
    stop: () => {
      for (const c of controllers.reverse()) c.stop();
      informers.stop();
    },
  };
}
