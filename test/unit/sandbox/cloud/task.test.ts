import { describe, expect, it } from 'vitest';
import { Task } from '../../../../src/sandbox/cloud/task.js';

const newTask = () => new Task('T-1', 'c-1', 'nodepool_upgrade', 'np-a', {}, () => Date.parse('2026-11-05T10:00:00Z'));

describe('ACK task controls', () => {
  it('holds work at the gate while paused and lets it go on resume', async () => {
    const task = newTask();
    task.pause();
    expect(task.state).toBe('paused');
    let passed = false;
    const gate = task.gate().then((verdict) => {
      passed = true;
      return verdict;
    });
    // Let every pending continuation run (a macrotask turn drains the microtask queue): a gate that did not hold
    // would have resolved by now; only resume or cancel can release this one.
    await new Promise((r) => setImmediate(r));
    expect(passed).toBe(false);
    task.resume();
    expect(await gate).toBe('go');
    expect(task.events.map((e) => e.reason)).toEqual(['TaskPaused', 'TaskResumed']);
  });

  it('cancel releases a paused gate with canceled; finished tasks refuse every control', async () => {
    const task = newTask();
    task.pause();
    const gate = task.gate();
    task.cancel();
    expect(await gate).toBe('canceled');
    task.finish('canceled');
    expect(task.toJson()).toMatchObject({ task_id: 'T-1', state: 'canceled', current_stage: 'Finish' });
    for (const control of [() => task.pause(), () => task.resume(), () => task.cancel()]) {
      expect(control).toThrow(expect.objectContaining({ status: 400, code: 'ErrorTaskStateInvalid' }));
    }
  });

  it('reports stages with RFC 3339 times and events with epoch-millisecond timestamps', () => {
    const task = newTask();
    const stage = task.addStage('pool-a-1', { node_name: 'pool-a-1' });
    task.setStage(stage, 'running', { step: 'drain' });
    task.event('DrainNode', 'NodeDrainNode', 'node pool-a-1: draining the node');
    task.setStage(stage, 'success');
    expect(task.toJson()['stages']).toEqual([
      {
        state: 'success',
        message: 'pool-a-1',
        start_time: '2026-11-05T10:00:00Z',
        end_time: '2026-11-05T10:00:00Z',
        // What a stage's outputs hold is not documented: DescribeTaskInfo shows none.
        outputs: {},
      },
    ]);
    expect(task.events[0]?.timestamp).toBe(String(Date.parse('2026-11-05T10:00:00Z')));
  });
});
