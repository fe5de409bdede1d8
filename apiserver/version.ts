// The Kubernetes version Skiff reports. The kubectl dispatcher on these
// machines picks the matching real kubectl from it; the API surface served
// follows this version.

export const KUBERNETES_VERSION = { major: '1', minor: '33', patch: '0' };

export function versionInfo() {
  const v = KUBERNETES_VERSION;
  return {
    major: v.major,
    minor: v.minor,
    gitVersion: `v${v.major}.${v.minor}.${v.patch}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-22T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'skiff',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
