import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface RelayProgress {
  fps: number;
  droppedFrames: number;
}

export interface RelayOptions {
  ffmpeg: string;
  /** The host's stream on the media server (RTMP, loopback). */
  input: string;
  /** Where viewers' HTTP-FLV comes from (RTMP publish to the media server's public app). */
  flvOutput: string;
  /** Folder of the HLS playlist: live fallback while the show runs, the recording afterwards. */
  hlsDir: string;
  onProgress: (p: RelayProgress) => void;
  onExit: (code: number | null, stderrTail: string) => void;
}

/**
 * One ffmpeg per live show, copying the host's stream (never transcoding: a 2-core machine can relay many shows)
 * to the public FLV stream and to an HLS playlist. A reconnecting host appends to the same playlist (with a
 * discontinuity), so the recording is one file list; every segment carries its wall-clock time for the chapters.
 */
export class Relay {
  private proc: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly o: RelayOptions) {}

  start(): void {
    mkdirSync(this.o.hlsDir, { recursive: true });
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostats',
      '-progress',
      'pipe:1',
      '-stats_period',
      '1',
      '-fflags',
      'nobuffer',
      '-analyzeduration',
      '1000000',
      '-rw_timeout',
      '8000000',
      '-i',
      this.o.input,
      '-map',
      '0',
      '-c',
      'copy',
      '-f',
      'flv',
      this.o.flvOutput,
      '-map',
      '0',
      '-c',
      'copy',
      '-f',
      'hls',
      '-hls_time',
      '2',
      '-hls_list_size',
      '0',
      '-hls_flags',
      'append_list+program_date_time+independent_segments+temp_file',
      '-hls_segment_filename',
      join(this.o.hlsDir, 'seg%05d.ts'),
      join(this.o.hlsDir, 'index.m3u8'),
    ];
    const proc = spawn(this.o.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    let stderr = '';
    let block: Record<string, string> = {};
    let rest = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const eq = line.indexOf('=');
        if (eq < 0) continue;
        const k = line.slice(0, eq).trim();
        block[k] = line.slice(eq + 1).trim();
        if (k === 'progress') {
          this.o.onProgress({ fps: Number(block.fps) || 0, droppedFrames: Number(block.drop_frames) || 0 });
          block = {};
        }
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    this.exited = new Promise((resolve) => {
      proc.on('error', (e) => {
        stderr += `\n${e.message}`;
      });
      proc.on('close', (code) => {
        this.proc = null;
        this.o.onExit(code, stderr.trim());
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.proc !== null;
  }

  /** Asks ffmpeg to finish its files (SIGINT writes the playlist's end), then kills it if it does not. */
  async stop(graceMs = 5000): Promise<void> {
    const proc = this.proc;
    if (!proc) return this.exited;
    proc.kill('SIGINT');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
