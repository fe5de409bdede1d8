// Names Kubernetes derives from a group/version: the OpenAPI v3 document
// path ("apis/apps/v1", "api/v1"), the operationId infix ("AppsV1",
// "CoreV1", "NetworkingV1") and the operation tag ("apps_v1", "core_v1").

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface GV {
  group: string;
  version: string;
}

/** "apis/apps/v1" or "api/v1": the key of the group-version in /openapi/v3. */
export function gvPath(gv: GV): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

/** "/apis/apps/v1" or "/api/v1": the URL prefix of the group-version's resources. */
export function gvPrefix(gv: GV): string {
  return `/${gvPath(gv)}`;
}

/** "rbac.authorization.k8s.io" -> ["rbac", "authorization"]; "" -> ["core"]. */
function groupWords(group: string): string[] {
  return group ? group.replace(/\.k8s\.io$/, '').split('.') : ['core'];
}

/** "AppsV1", "CoreV1", "RbacAuthorizationV1". */
export function operationInfix(gv: GV): string {
  return groupWords(gv.group).map(cap).join('') + cap(gv.version);
}

/** "apps_v1", "core_v1", "rbacAuthorization_v1". */
export function operationTag(gv: GV): string {
  const [first = '', ...rest] = groupWords(gv.group);
  return `${first}${rest.map(cap).join('')}_${gv.version}`;
}
