import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What one household promised to deliver for a pre-sale (订单农业): the cap of the pre-sale is their sum. */
@Entity('presale_promises')
@Index('presale_promises_one_per_household', ['presaleId', 'householdId'], { unique: true })
@Check('presale_promises_quantity', `"quantity" > 0`)
export class PresalePromise {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'presale_id', type: 'uuid' })
  presaleId!: string;

  @Column({ name: 'household_id', type: 'uuid' })
  householdId!: string;

  @Column({ type: 'integer' })
  quantity!: number;
}
