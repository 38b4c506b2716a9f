// A CIN census file from the demo data, for tests, the documentation's sample and the
// 100,000-children figures: every demo child with a child-in-need or child-protection
// involvement, keyed by demoCaseSystemId. A child protection plan sits inside the episode it
// belongs to: a child-in-need involvement that steps up to a plan on the day it ends becomes
// one CINdetails holding the plan, which ./child.ts reads back as the same two involvements.
import { join } from 'node:path';
import type { DemoData, InvolvementRow } from '../../../seed/generate.ts';
import { demoCaseSystemId } from '../../values.ts';
import { writeLines } from './output.ts';

export const CIN_CENSUS_FILE = 'cin-census.xml';

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const element = (indent: string, name: string, value: string | null | undefined) =>
  value === null || value === undefined ? '' : `${indent}<${name}>${escapeXml(value)}</${name}>\n`;
const SEX = { male: 'M', female: 'F', other: 'U', not_known: 'U' } as const;

interface Episode {
  start: string;
  end: string | null;
  plans: InvolvementRow[];
}

/** The child's CIN and CP involvements as census episodes, oldest first. */
function episodesOf(involvements: readonly InvolvementRow[]): Episode[] {
  const episodes: Episode[] = [];
  let previous: InvolvementRow | undefined;
  for (const involvement of [...involvements].sort((a, b) => (a.start_date < b.start_date ? -1 : 1))) {
    const last = episodes.at(-1);
    // Step up (CIN then plan) or down (plan then CIN) on the same day: one episode.
    if (last && previous && previous.kind !== involvement.kind && last.end === involvement.start_date) {
      last.end = involvement.end_date;
    } else {
      episodes.push({ start: involvement.start_date, end: involvement.end_date, plans: [] });
    }
    if (involvement.kind === 'child_protection') episodes.at(-1)!.plans.push(involvement);
    previous = involvement;
  }
  return episodes;
}

/** The census year ends on 31 March: the first 31 March on or after the latest date written. */
function referenceDate(demo: DemoData): string {
  let latest = '1970-01-01';
  for (const i of demo.involvements) for (const d of [i.start_date, i.end_date]) if (d && d > latest) latest = d;
  const year = Number(latest.slice(0, 4));
  return latest.slice(5) <= '03-31' ? `${year}-03-31` : `${year + 1}-03-31`;
}

function* censusLines(demo: DemoData): Iterable<string> {
  const byChild = new Map<string, InvolvementRow[]>();
  for (const involvement of demo.involvements) {
    if (involvement.kind === 'looked_after') continue;
    const list = byChild.get(involvement.child_id);
    if (list) list.push(involvement);
    else byChild.set(involvement.child_id, [involvement]);
  }
  const reference = referenceDate(demo);
  const council = demo.organisations.find((o) => o.kind === 'local_authority');
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n';
  yield `      <Collection>CIN</Collection>\n      <Year>${reference.slice(0, 4)}</Year>\n      <ReferenceDate>${reference}</ReferenceDate>\n`;
  yield '    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n';
  yield element('      ', 'LEA', council?.la_code ?? '990');
  yield '      <SoftwareCode>Safeguarding Partner Portal demo data</SoftwareCode>\n      <Release>1</Release>\n      <SerialNo>001</SerialNo>\n';
  yield `      <DateTime>${reference}T00:00:00</DateTime>\n    </Source>\n  </Header>\n  <Children>\n`;
  for (let n = 1; n <= demo.children.length; n++) {
    const child = demo.children[n - 1]!;
    const involvements = byChild.get(child.id);
    if (!involvements) continue;
    let out = '    <Child>\n      <ChildIdentifiers>\n';
    out += element('        ', 'LAchildID', demoCaseSystemId(n));
    // UN1: under six and not yet in school, the demo's only children without a UPN.
    out += child.upn ? element('        ', 'UPN', child.upn) : element('        ', 'UPNunknown', 'UN1');
    out += element('        ', 'PersonBirthDate', child.date_of_birth);
    out += element('        ', 'Sex', SEX[child.gender]);
    out += '      </ChildIdentifiers>\n      <ChildCharacteristics>\n        <Ethnicity>NOBT</Ethnicity>\n';
    out += '        <Disabilities>\n          <Disability>NONE</Disability>\n        </Disabilities>\n      </ChildCharacteristics>\n';
    let previousPlans = 0;
    for (const episode of episodesOf(involvements)) {
      out += '      <CINdetails>\n';
      out += element('        ', 'CINreferralDate', episode.start);
      out += element('        ', 'ReferralSource', ['1A', '2A', '3A', '5A', '6'][n % 5]);
      out += element('        ', 'PrimaryNeedCode', episode.plans.length > 0 ? 'N1' : 'N4');
      out += element('        ', 'CINclosureDate', episode.end);
      out += element('        ', 'ReasonForClosure', episode.end ? 'RC7' : null);
      out += '        <ReferralNFA>false</ReferralNFA>\n';
      for (const plan of episode.plans) {
        out += '        <ChildProtectionPlans>\n';
        out += element('          ', 'CPPstartDate', plan.start_date);
        out += element('          ', 'CPPendDate', plan.end_date);
        out += element('          ', 'InitialCategoryOfAbuse', plan.cp_category);
        out += element('          ', 'LatestCategoryOfAbuse', plan.cp_category);
        out += element('          ', 'NumberOfPreviousCPP', String(previousPlans++));
        out += '        </ChildProtectionPlans>\n';
      }
      out += '      </CINdetails>\n';
    }
    yield `${out}    </Child>\n`;
  }
  yield '  </Children>\n</Message>\n';
}

export async function writeCinCensus(demo: DemoData, dir: string): Promise<string[]> {
  const path = join(dir, CIN_CENSUS_FILE);
  await writeLines(path, censusLines(demo));
  return [path];
}
