import { z } from 'zod';
import { callJson } from '../../procure-to-pay/index.js';
import type { ReturnRequest } from '../documents.js';
import type { CrmCases } from '../ports.js';

/** A Salesforce org reached with the OAuth 2.0 client credentials flow. */
export interface SalesforceTarget {
  tokenUrl: string;
  /** `${instance}/services/data/vXX.X` */
  dataUrl: string;
  clientId: string;
  clientSecret: string;
}

const token = z.object({ access_token: z.string() });

/**
 * Return cases in Salesforce, upserted by external id (`External_Id__c` = `return:<id>`), so the
 * same update sent twice changes one case.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 */
export class SalesforceCases implements CrmCases {
  private bearer: Promise<string> | undefined;

  constructor(private readonly target: SalesforceTarget) {}

  private async auth(): Promise<string> {
    this.bearer ??= callJson(this.target.tokenUrl, {
      method: 'POST',
      form: { grant_type: 'client_credentials', client_id: this.target.clientId, client_secret: this.target.clientSecret },
    }).then((res) => token.parse(res.body).access_token);
    this.bearer.catch(() => {
      this.bearer = undefined;
    });
    return this.bearer;
  }

  async upsertReturnCase(
    request: ReturnRequest,
    update: { status: 'Working' | 'Closed'; description: string },
  ): Promise<{ caseId: string }> {
    const externalId = encodeURIComponent(`return:${request.returnId}`);
    const send = async () =>
      callJson(`${this.target.dataUrl}/sobjects/Case/External_Id__c/${externalId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${await this.auth()}` },
        accept: [401],
        body: {
          Subject: `Return ${request.returnId} for order ${request.order}`,
          Status: update.status,
          Origin: request.source.system === 'crm' ? 'Phone' : 'Web',
          Description: update.description,
        },
      });
    let res = await send();
    if (res.status === 401) {
      this.bearer = undefined;
      res = await send();
    }
    const created = z.object({ id: z.string() }).safeParse(res.body);
    if (created.success) return { caseId: created.data.id };
    // 204 on update: read the id back.
    const got = await callJson(`${this.target.dataUrl}/sobjects/Case/External_Id__c/${externalId}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${await this.auth()}` },
    });
    return { caseId: z.object({ Id: z.string() }).parse(got.body).Id };
  }
}
