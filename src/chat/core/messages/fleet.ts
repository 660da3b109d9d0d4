/** The fleet view in chat (docs/contracts.md#fleet-json): per cluster one line, then one list line per pool. */
import type { FleetView } from '../../../domain/fleet/fleet-view.js';
import type { Message } from '../message.js';

export function buildFleet(view: FleetView): Message {
  const ready = view.clusters.filter((c) => c.readyForUpgrade).length;
  const header = `Fleet: ${view.clusters.length} cluster${view.clusters.length === 1 ? '' : 's'}, ${ready} ready for 1.24`;
  const body = view.clusters.map((c) => {
    const state = c.error
      ? `could not be read: ${c.error}`
      : c.readyForUpgrade
        ? 'ready for 1.24'
        : `${c.dockerPools} Docker pool${c.dockerPools === 1 ? '' : 's'} left`;
    const pools = c.pools.map((p) => {
      const migration = p.migration ? `${p.migration.state} \`${p.migration.id}\`` : 'no migration';
      return `- \`${p.name}\` ${p.runtime}, ${p.nodes} nodes, ${p.verdict}, ${migration}`;
    });
    return [`*${c.id}* (${c.region}${c.version ? `, ${c.version}` : ''}): ${state}`, ...pools].join('\n');
  });
  if (body.length === 0) body.push('No cluster configured.');
  return { text: `${header}\n${body.join('\n')}`, header, body };
}
