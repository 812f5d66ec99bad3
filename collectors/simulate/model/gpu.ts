import { type Rng, uuid } from '../prng.js';
import { GPU_FB_RESERVED_MIB, GPU_FB_TOTAL_MIB } from '../topology.js';

/** What the GPU's holder asks of it this tick. */
export interface GpuLoad {
  /** utilization is the share of time a kernel runs (0..1). */
  readonly utilization: number;
  /** memoryMiB is the framebuffer the holder keeps allocated. */
  readonly memoryMiB: number;
  /** nvlink says whether the holder spans several GPUs (tensor parallel or data parallel training). */
  readonly nvlink: boolean;
}

export const IDLE: GpuLoad = { utilization: 0, memoryMiB: 0, nvlink: false };

const IDLE_POWER_W = 70;
const MAX_POWER_W = 700;
/** THERMAL_TAU_S is how fast temperatures follow load (a first-order lag). */
const THERMAL_TAU_S = 90;

/**
 * Gpu is one H100 as dcgm-exporter reads it: gauges that follow the holder's load, temperatures
 * that lag behind it, and the counters (energy in mJ, NVLink traffic) that only grow. Counters
 * start at what a machine up for weeks shows.
 */
export class Gpu {
  readonly uuid: string;
  utilization = 0;
  memoryCopyUtil = 0;
  powerW = IDLE_POWER_W;
  gpuTempC = 32;
  memoryTempC = 30;
  fbUsedMiB = 0;
  energyMj: number;
  nvlinkTotal: number;
  private readonly thermalOffset: number;

  constructor(
    readonly node: string,
    readonly index: number,
    readonly pciBusId: string,
    private readonly rng: Rng,
  ) {
    this.uuid = 'GPU-' + uuid(rng);
    this.energyMj = Math.round(3e11 + rng.next() * 5e11);
    this.nvlinkTotal = Math.round(1e13 + rng.next() * 6e13);
    this.thermalOffset = (rng.next() - 0.5) * 6;
  }

  step(dtS: number, load: GpuLoad): void {
    const rng = this.rng;
    const util = load.utilization <= 0 ? 0 : Math.min(1, load.utilization * rng.jitter(0.03));
    this.utilization = util;
    this.memoryCopyUtil = util * 0.55 * rng.jitter(0.05);
    this.powerW = Math.min(MAX_POWER_W, (IDLE_POWER_W + (MAX_POWER_W - 80) * util) * rng.jitter(0.01));
    this.energyMj += Math.round(this.powerW * dtS * 1000);
    if (load.nvlink) this.nvlinkTotal += Math.round(util * 3.5e10 * dtS * rng.jitter(0.05));
    const lag = 1 - Math.exp(-dtS / THERMAL_TAU_S);
    this.gpuTempC += (32 + 38 * util + this.thermalOffset - this.gpuTempC) * lag;
    this.memoryTempC += (30 + 42 * util + this.thermalOffset - this.memoryTempC) * lag;
    this.fbUsedMiB = load.memoryMiB <= 0 ? 0 : Math.min(GPU_FB_TOTAL_MIB - GPU_FB_RESERVED_MIB, Math.round(load.memoryMiB + rng.normal() * 8));
  }

  get fbFreeMiB(): number {
    return GPU_FB_TOTAL_MIB - GPU_FB_RESERVED_MIB - this.fbUsedMiB;
  }

  /** smClockMHz is the boost clock under load and the idle clock otherwise. */
  get smClockMHz(): number {
    return this.utilization > 0.02 ? 1980 : 345;
  }
}
