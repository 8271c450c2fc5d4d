import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { Household } from '../../households/entities/household.entity';
import { Lot } from './lot.entity';

/** How much one member household supplied to a lot; sales of the lot are attributed by these quantities. */
@Entity('lot_supplies')
@Index('lot_supplies_household', ['householdId'])
@Check('lot_supplies_quantity', `"quantity" > 0`)
export class LotSupply {
  @PrimaryColumn({ name: 'lot_id', type: 'uuid' })
  lotId!: string;

  @ManyToOne(() => Lot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'lot_id' })
  lot?: Relation<Lot>;

  @PrimaryColumn({ name: 'household_id', type: 'uuid' })
  householdId!: string;

  @ManyToOne(() => Household, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'household_id' })
  household?: Relation<Household>;

  @Column({ type: 'integer' })
  quantity!: number;
}
