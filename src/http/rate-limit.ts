// The API's per-key limiter is the shared token bucket (the dashboard limits logins per address with it).
export { RateLimiter } from '../app/token-bucket.ts';
