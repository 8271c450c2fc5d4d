import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { fenColumn } from '../../database/money.transformer';
import { LedgerTransactionRow } from './ledger-transaction.entity';

/** One posting: signed fen, debit positive, credit negative. Append-only (trigger refuses UPDATE/DELETE). */
@Entity('ledger_postings')
@Index('ledger_postings_account', ['account'])
@Check('ledger_postings_nonzero', `"amount" <> 0`)
export class LedgerPosting {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ledger_postings_transaction')
  @Column({ name: 'transaction_id', type: 'uuid' })
  transactionId!: string;

  @ManyToOne(() => LedgerTransactionRow, (t) => t.postings, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transaction_id' })
  transaction?: Relation<LedgerTransactionRow>;

  /** Position within the transaction (the hashed order). */
  @Column({ type: 'smallint' })
  position!: number;

  @Column({ type: 'varchar', length: 160 })
  account!: string;

  @Column(fenColumn({ name: 'amount' }))
  amount!: number;

  @Column({ type: 'varchar', length: 3, default: 'CNY' })
  currency!: 'CNY';

  /** Household of a household payable account (for statements and receipts), else null. */
  @Index('ledger_postings_household')
  @Column({ name: 'household_id', type: 'uuid', nullable: true })
  householdId!: string | null;
}
