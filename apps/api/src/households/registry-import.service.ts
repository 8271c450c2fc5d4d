import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { RegistryImportReport, RegistryImportRowReport } from '@xiangbo/contracts';
import { parseRegistryRow, REGISTRY_CSV_COLUMNS, RegistryRow, todayInChina } from '@xiangbo/domain';
import { Principal } from '../auth/principal';
import { Household } from './entities/household.entity';
import { HouseholdStatusEvent } from './entities/household-status-event.entity';
import { IdNumberHasher } from './id-number-hasher';
import { PersonalDataAccessService } from './personal-data-access.service';
import { decodeCsvBytes, parseCsvTable } from './registry-csv-file';

export interface UploadedCsv {
  buffer: Buffer;
  originalname?: string;
}

interface Candidate {
  line: number;
  row: RegistryRow;
  hash: string;
  masked: string;
}

/** 12 parameters a household: 500 rows stay far below PostgreSQL's 65,535 parameters a statement. */
const CHUNK = 500;

/**
 * CSV import into the registry. Every row is checked (format, vocabulary, ID number, duplicates within the file
 * and against the registry) and reported by its line number; the valid rows are written in ONE transaction
 * (all of them or none), each with its first status event. A dry run checks and reports without writing.
 */
@Injectable()
export class RegistryImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hasher: IdNumberHasher,
    private readonly access: PersonalDataAccessService,
  ) {}

  async import(actor: Principal, file: UploadedCsv, dryRun: boolean): Promise<RegistryImportReport> {
    const { text, encoding } = decodeCsvBytes(file.buffer);
    const table = parseCsvTable(text);
    const today = todayInChina();

    const reports = new Map<number, RegistryImportRowReport>();
    const candidates: Candidate[] = [];
    const firstLineOfHash = new Map<string, number>();
    for (const { line, cells } of table.rows) {
      const headName = cells[REGISTRY_CSV_COLUMNS.headName] || undefined;
      const parsed = parseRegistryRow(cells, today);
      if (!parsed.ok) {
        reports.set(line, {
          row: line,
          status: 'refused',
          headName,
          reason: {
            code: parsed.problems[0].code,
            message: parsed.problems.map((p) => p.message).join('；'),
            fields: parsed.problems.map((p) => p.field),
          },
        });
        continue;
      }
      const p = this.hasher.protect(parsed.row.idNumber);
      if ('error' in p) throw new Error('an ID number the row rules accepted was refused by the hasher');
      const first = firstLineOfHash.get(p.hash);
      if (first !== undefined) {
        reports.set(line, {
          row: line,
          status: 'refused',
          headName,
          reason: {
            code: 'DUPLICATE_ID_NUMBER',
            message: `身份证号与本文件第 ${first} 行重复`,
            fields: ['idNumber'],
            duplicateOfRow: first,
          },
        });
        continue;
      }
      firstLineOfHash.set(p.hash, line);
      candidates.push({ line, row: parsed.row, hash: p.hash, masked: p.masked });
    }

    await this.db.transaction(async (m) => {
      const existing = await this.existingByHash(
        m,
        candidates.map((c) => c.hash),
      );
      const fresh: Candidate[] = [];
      for (const c of candidates) {
        const id = existing.get(c.hash);
        if (id) reports.set(c.line, alreadyRegistered(c, id));
        else fresh.push(c);
      }

      if (dryRun) {
        for (const c of fresh) reports.set(c.line, { row: c.line, status: 'imported', headName: c.row.headName });
      } else {
        const inserted = await this.insert(m, actor, fresh);
        for (const c of fresh) {
          const id = inserted.get(c.hash);
          // Not inserted: someone registered the same ID number since we looked (ON CONFLICT DO NOTHING).
          reports.set(
            c.line,
            id
              ? { row: c.line, status: 'imported', headName: c.row.headName, householdId: id }
              : alreadyRegistered(c, (await this.existingByHash(m, [c.hash])).get(c.hash)),
          );
        }
      }

      const refused = [...reports.values()].filter((r) => r.status === 'refused').length;
      await this.access.record(m, {
        actorId: actor.userId,
        actorRole: 'platform_admin',
        householdId: null,
        action: 'registry.import',
        detail: `file=${file.originalname ?? ''}; encoding=${encoding}; rows=${reports.size}; ${dryRun ? 'valid' : 'imported'}=${reports.size - refused}; refused=${refused}${dryRun ? '; dryRun' : ''}`,
      });
    });

    const rows = [...reports.values()].sort((a, b) => a.row - b.row);
    const imported = rows.filter((r) => r.status === 'imported').length;
    return { dryRun, encoding, total: rows.length, imported, refused: rows.length - imported, rows };
  }

  private async existingByHash(m: EntityManager, hashes: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < hashes.length; i += 5000) {
      const rows: { id: string; id_number_hash: string }[] = await m.query(
        'SELECT id, id_number_hash FROM households WHERE id_number_hash = ANY($1)',
        [hashes.slice(i, i + 5000)],
      );
      for (const r of rows) out.set(r.id_number_hash, r.id);
    }
    return out;
  }

  /** Inserts the households and their first status events; returns hash → new household id. */
  private async insert(m: EntityManager, actor: Principal, rows: Candidate[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const result = await m
        .createQueryBuilder()
        .insert()
        .into(Household)
        .values(
          chunk.map((c) => ({
            headName: c.row.headName,
            idNumberHash: c.hash,
            idNumberMasked: c.masked,
            province: c.row.province,
            city: c.row.city,
            county: c.row.county,
            township: c.row.township,
            village: c.row.village,
            householdSize: c.row.householdSize,
            povertyCauses: c.row.povertyCauses,
            status: c.row.status,
            createdBy: actor.userId,
          })),
        )
        .orIgnore()
        .returning('id, id_number_hash')
        .updateEntity(false)
        .execute();
      const created = (result.raw as { id: string; id_number_hash: string }[]).map(
        (r) => [r.id_number_hash, r.id] as const,
      );
      for (const [hash, id] of created) ids.set(hash, id);
      const events = chunk
        .filter((c) => ids.has(c.hash))
        .map((c) => ({
          householdId: ids.get(c.hash) as string,
          status: c.row.status,
          effectiveDate: c.row.statusDate,
          reason: c.row.reason || '批量导入',
          recordedBy: actor.userId,
        }));
      if (events.length) await m.createQueryBuilder().insert().into(HouseholdStatusEvent).values(events).execute();
    }
    return ids;
  }
}

function alreadyRegistered(c: Candidate, existingHouseholdId: string | undefined): RegistryImportRowReport {
  return {
    row: c.line,
    status: 'refused',
    headName: c.row.headName,
    reason: {
      code: 'DUPLICATE_ID_NUMBER',
      message: '身份证号已在农户档案中',
      fields: ['idNumber'],
      ...(existingHouseholdId ? { existingHouseholdId } : {}),
    },
  };
}
