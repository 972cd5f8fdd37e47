/**
 * What a stage URL says about the API behind it. The client signs for the region of an API Gateway
 * host and the CLI lets that region win over its other settings, so both read it here.
 */

/** API Gateway's default host name: `<api-id>.execute-api.<region>.amazonaws.com` (`.com.cn` in China). */
const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/i;

/**
 * The region of an API Gateway default host name (`abc123.execute-api.eu-west-1.amazonaws.com` →
 * `eu-west-1`); undefined for any other host (a custom domain, the local emulator).
 */
export function executeApiRegion(hostname: string): string | undefined {
  return EXECUTE_API_HOST.exec(hostname)?.[1];
}
