import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { labelVariable, matchers, newDashboard, q, statPanel, tablePanel, timeseriesPanel } from '../common.js';
import { layout, place } from '../layout.js';

export const GPU_FLEET_UID = 'vigil-gpu-fleet';

/** GPU series carry node and gpu, pool when the target has it, namespace while a pod holds the GPU. */
const GPU = matchers(['pool', 'node', 'namespace']);
const PER_GPU = '{{node}} GPU {{gpu}}';

/**
 * gpuFleetDashboard is the DCGM view of every GPU: how busy (engine and tensor cores), how full,
 * how hot and how hungry, which ones report XID errors, and who holds them.
 */
export function gpuFleetDashboard(): dashboard.DashboardBuilder {
  const b = newDashboard(GPU_FLEET_UID, 'GPU fleet', 'DCGM view of the GPUs per node, pool and namespace: utilization, engine and tensor activity, memory, power, temperature, XID errors, allocation.', ['ai-platform', 'gpu'])
    .withVariable(labelVariable('pool', 'Pool', 'ai:gpu_utilization:ratio'))
    .withVariable(labelVariable('node', 'Node', 'ai:gpu_utilization:ratio{pool=~"$pool"}'))
    .withVariable(labelVariable('namespace', 'Namespace', 'ai:gpu_allocated'));
  return layout(b, [
    {
      panels: [
        place(statPanel({ title: 'GPUs', description: 'GPUs reporting to dcgm-exporter in the selection.', unit: 'none', queries: [q(`count(ai:gpu_utilization:ratio${GPU})`, 'GPUs')] }), 4, 4),
        place(statPanel({ title: 'GPUs held by pods', description: 'GPUs a pod holds now (ai:gpu_allocated).', unit: 'none', queries: [q(`sum(ai:gpu_allocated${GPU})`, 'held')] }), 4, 4),
        place(statPanel({ title: 'Mean utilization', description: 'Mean busy share of the selected GPUs (graphics engine active where DCGM profiles it).', unit: 'percentunit', min: 0, max: 1, queries: [q(`avg(ai:gpu_utilization:ratio${GPU})`, 'utilization')] }), 4, 4),
        place(statPanel({ title: 'Power draw', description: 'Total power drawn by the selected GPUs.', unit: 'watt', queries: [q(`sum(ai:gpu_power_watts${GPU})`, 'power')] }), 4, 4),
        place(statPanel({ title: 'Hottest GPU', description: 'Highest GPU temperature; data-centre GPUs throttle in the high 80s.', unit: 'celsius', thresholds: [['orange', 80], ['red', 85]], queries: [q(`max(ai:gpu_temperature_celsius${GPU})`, 'max')] }), 4, 4),
        place(statPanel({ title: 'GPUs with an XID error', description: 'GPUs whose driver reported an XID error (last code other than 0).', unit: 'none', thresholds: [['red', 1]], queries: [q(`count(ai:gpu_xid_errors${GPU} > 0) or vector(0)`, 'GPUs')] }), 4, 4),
      ],
    },
    {
      title: 'Activity',
      panels: [
        place(timeseriesPanel({ title: 'GPU utilization (engine active)', description: 'Share of time the graphics engine is busy (DCGM_FI_PROF_GR_ENGINE_ACTIVE, else GPU_UTIL ÷ 100), per GPU.', unit: 'percentunit', min: 0, max: 1, queries: [q(`max by (node, gpu) (ai:gpu_utilization:ratio${GPU})`, PER_GPU)] }), 12, 8),
        place(
          timeseriesPanel({
            title: 'Tensor core activity',
            description: 'Share of cycles the tensor pipes are busy (DCGM_FI_PROF_PIPE_TENSOR_ACTIVE), per GPU; needs the node and pool target labels the GPU pack asks for. Sentinel readings above 1 are dropped.',
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [q('max by (node, gpu) (DCGM_FI_PROF_PIPE_TENSOR_ACTIVE{pool=~"$pool", node=~"$node"} <= 1)', PER_GPU)],
          }),
          12,
          8,
        ),
        place(timeseriesPanel({ title: 'Utilization per pool', description: 'Mean busy share of the GPUs of each pool.', unit: 'percentunit', min: 0, max: 1, queries: [q(`avg by (pool) (ai:gpu_utilization:ratio${GPU})`, '{{pool}}')] }), 12, 8),
        place(timeseriesPanel({ title: 'GPUs held per namespace', description: 'GPUs held by the pods of each namespace.', unit: 'none', stack: true, queries: [q(`sum by (namespace) (ai:gpu_allocated${GPU})`, '{{namespace}}')] }), 12, 8),
      ],
    },
    {
      title: 'Memory, power and temperature',
      panels: [
        place(timeseriesPanel({ title: 'Framebuffer memory used', description: 'Share of the framebuffer in use (reserved memory counts as used); vLLM takes 90% by design.', unit: 'percentunit', min: 0, max: 1, thresholds: [['red', 0.95]], thresholdLines: true, queries: [q(`max by (node, gpu) (ai:gpu_memory_usage:ratio${GPU})`, PER_GPU)] }), 8, 8),
        place(timeseriesPanel({ title: 'Power draw per GPU', description: 'Power drawn by each GPU.', unit: 'watt', queries: [q(`max by (node, gpu) (ai:gpu_power_watts${GPU})`, PER_GPU)] }), 8, 8),
        place(timeseriesPanel({ title: 'Temperature per GPU', description: 'GPU temperature; the GPUTemperatureHigh alert fires above 85 °C held for 5 minutes.', unit: 'celsius', thresholds: [['red', 85]], thresholdLines: true, queries: [q(`max by (node, gpu) (ai:gpu_temperature_celsius${GPU})`, PER_GPU)] }), 8, 8),
      ],
    },
    {
      title: 'Errors and capacity',
      panels: [
        place(tablePanel({ title: 'XID errors per GPU', description: 'The last XID code each GPU reported (0 = none), with its node, pool and holding namespace; 48, 64, 74, 79, 94, 95, 119 and 120 page.', unit: 'none', queries: [q(`max by (node, pool, gpu, namespace) (ai:gpu_xid_errors${GPU})`, PER_GPU)] }), 12, 8),
        place(
          timeseriesPanel({
            title: 'Pool capacity requested',
            description: 'GPUs requested by pods bound to the pool over the GPUs its nodes offer; above 95% a new GPU pod stays Pending.',
            unit: 'percentunit',
            thresholds: [['red', 0.95]],
            thresholdLines: true,
            queries: [q('sum by (pool) (ai:gpu_requested{pool=~"$pool"}) / sum by (pool) (ai:gpu_allocatable{pool=~"$pool"})', '{{pool}}')],
          }),
          12,
          8,
        ),
      ],
    },
  ]);
}
