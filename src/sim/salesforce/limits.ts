/**
 * The org's rolling 24-hour API request allocation. Every authenticated REST call counts one (a
 * composite request counts once) and is reported in `Sforce-Limit-Info: api-usage=N/LIMIT`
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm).
 */
export class ApiUsage {
  constructor(
    public limit: number,
    public used = 0,
  ) {}

  /** Counts a call; false when the allocation is already spent (the call must be refused). */
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  header(): Record<string, string> {
    return { 'sforce-limit-info': `api-usage=${this.used}/${this.limit}` };
  }
}
