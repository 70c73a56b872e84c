// The little of autocannon's API the TypeScript benches use (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: { method?: string; setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }[];
  }
  interface Result { '2xx': number; non2xx: number; duration: number; latency: { p50: number; p99: number } }
  export default function autocannon(opts: Options): Promise<Result>;
}
