// The front door queue's filters, as people choose them and as the access module's concern
// list takes them.
import { roleNames, roles, type Agency } from '../auth/roles.ts';

export type StatusFilter = 'open' | 'decided' | 'all';
export const statusFilters: StatusFilter[] = ['open', 'decided', 'all'];
export const statusLabels: Record<StatusFilter, string> = { open: 'Waiting for a decision', decided: 'Decided', all: 'All' };

/** The agencies whose staff raise concerns (the council's own staff do not). */
export const partnerAgencies = ['education', 'health', 'police'] as const satisfies readonly Agency[];
export type PartnerAgency = (typeof partnerAgencies)[number];
export const agencyLabels: Record<PartnerAgency, string> = { education: 'Schools', health: 'Health', police: 'Police' };

/** The roles whose concerns count as the agency's. */
export const rolesOf = (agency: Agency) => roleNames.filter((role) => roles[role].agency === agency);
