import type { Gpu } from '../model/gpu.js';
import type { Pod } from '../model/cluster.js';
import { DRIVER_VERSION, GPU_MODEL_NAME } from '../topology.js';
import { goFixed, goInt } from './format.js';
import { labelText, TextBody } from './text.js';

/** GpuReading is one GPU and the pod holding it, if any. */
export interface GpuReading {
  readonly gpu: Gpu;
  readonly holder: Pod | undefined;
}

type Field = readonly [name: string, help: string, type: 'gauge' | 'counter', read: (g: Gpu) => string];

const zero = () => '0';

/**
 * FIELDS are dcgm-exporter's default counters (etc/default-counters.csv), in the order, with the
 * HELP text and type, of /work/shared/fixtures/metrics/dcgm-exporter.gpu-node-*.prom. Integer
 * fields print with %d and doubles with %f, as gpu_collector.go's toString does.
 */
const FIELDS: readonly Field[] = [
  ['DCGM_FI_DEV_SM_CLOCK', 'SM clock frequency (in MHz).', 'gauge', (g) => goInt(g.smClockMHz)],
  ['DCGM_FI_DEV_MEM_CLOCK', 'Memory clock frequency (in MHz).', 'gauge', () => '2619'],
  ['DCGM_FI_DEV_MEMORY_TEMP', 'Memory temperature (in C).', 'gauge', (g) => goInt(g.memoryTempC)],
  ['DCGM_FI_DEV_GPU_TEMP', 'GPU temperature (in C).', 'gauge', (g) => goInt(g.gpuTempC)],
  ['DCGM_FI_DEV_POWER_USAGE', 'Power draw (in W).', 'gauge', (g) => goFixed(g.powerW)],
  ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'Total energy consumption since boot (in mJ).', 'counter', (g) => goInt(g.energyMj)],
  ['DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 'Total number of PCIe retries.', 'counter', zero],
  ['DCGM_FI_DEV_GPU_UTIL', 'GPU utilization (in %).', 'gauge', (g) => goInt(g.utilization * 100)],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', 'Memory utilization (in %).', 'gauge', (g) => goInt(g.memoryCopyUtil * 100)],
  ['DCGM_FI_DEV_ENC_UTIL', 'Encoder utilization (in %).', 'gauge', zero],
  ['DCGM_FI_DEV_DEC_UTIL', 'Decoder utilization (in %).', 'gauge', zero],
  ['DCGM_FI_DEV_XID_ERRORS', 'Value of the last XID error encountered.', 'gauge', zero],
  ['DCGM_FI_DEV_FB_FREE', 'Framebuffer memory free (in MiB).', 'gauge', (g) => goInt(g.fbFreeMiB)],
  ['DCGM_FI_DEV_FB_USED', 'Framebuffer memory used (in MiB).', 'gauge', (g) => goInt(g.fbUsedMiB)],
  ['DCGM_FI_DEV_FB_RESERVED', 'Framebuffer memory reserved (in MiB).', 'gauge', () => '566'],
  ['DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL', 'Total number of NVLink bandwidth counters for all lanes.', 'counter', (g) => goInt(g.nvlinkTotal)],
  ['DCGM_FI_DEV_VGPU_LICENSE_STATUS', 'vGPU License status', 'gauge', zero],
  ['DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 'Number of remapped rows for uncorrectable errors', 'counter', zero],
  ['DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', 'Number of remapped rows for correctable errors', 'counter', zero],
  ['DCGM_FI_DEV_ROW_REMAP_FAILURE', 'Whether remapping of rows has failed', 'gauge', zero],
  ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'Ratio of time the graphics engine is active.', 'gauge', (g) => goFixed(g.utilization * 0.985)],
  ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'Ratio of cycles the tensor (HMMA) pipe is active.', 'gauge', (g) => goFixed(g.utilization * 0.62)],
  ['DCGM_FI_PROF_DRAM_ACTIVE', 'Ratio of cycles the device memory interface is active sending or receiving data.', 'gauge', (g) => goFixed(g.utilization * 0.64)],
  [
    'DCGM_FI_PROF_PCIE_TX_BYTES',
    'The rate of data transmitted over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
    'gauge',
    (g) => goInt(g.utilization * 2.6e8 + 1.2e5),
  ],
  [
    'DCGM_FI_PROF_PCIE_RX_BYTES',
    'The rate of data received over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
    'gauge',
    (g) => goInt(g.utilization * 1.5e8 + 0.8e5),
  ],
];

/**
 * renderDcgm writes one node's dcgm-exporter body: every field for each of its GPUs, labelled
 * `gpu, UUID, pci_bus_id, device, modelName, Hostname, DCGM_FI_DRIVER_VERSION` and, for a GPU
 * a pod holds, `container, namespace, pod` (the pod's own namespace, not the exporter's). Idle
 * GPUs carry no pod labels at all, as current dcgm-exporter writes them.
 */
export function renderDcgm(node: string, readings: readonly GpuReading[]): string {
  const body = new TextBody();
  const labelSets = readings.map(({ gpu, holder }) => {
    const labels: [string, string][] = [
      ['gpu', String(gpu.index)],
      ['UUID', gpu.uuid],
      ['pci_bus_id', gpu.pciBusId],
      ['device', `nvidia${gpu.index}`],
      ['modelName', GPU_MODEL_NAME],
      ['Hostname', node],
      ['DCGM_FI_DRIVER_VERSION', DRIVER_VERSION],
    ];
    if (holder !== undefined) labels.push(['container', holder.container], ['namespace', holder.namespace], ['pod', holder.name]);
    return labelText(labels);
  });
  for (const [name, help, type, read] of FIELDS) {
    body.family(name, help, type);
    readings.forEach(({ gpu }, i) => body.sample(name, labelSets[i]!, read(gpu)));
  }
  return body.toString();
}
