import { MigrationInterface, QueryRunner } from 'typeorm';
import { reindexProduct } from '../../catalog/search-index';

/**
 * Products are found by pinyin too (muer, heimuer, hme): rebuild every product's search vector with the indexing
 * of the time this runs (search_vector is derived data, rebuilt on every product write anyway). No schema change.
 */
export class SearchPinyin1796654859332 implements MigrationInterface {
  name = 'SearchPinyin1796654859332';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const rows: { id: string }[] = await queryRunner.query('SELECT id FROM products ORDER BY id');
    for (const { id } of rows) await reindexProduct(queryRunner.manager, id);
  }

  public async down(): Promise<void> {
    // Nothing to undo: the older indexing is a subset of the tokens, and the next product write rebuilds it anyway.
  }
}
