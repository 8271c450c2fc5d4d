import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsoleProduct, CreateLotRequest, CreateProductRequest } from '@xiangbo/contracts';
import { useApiClient } from '../../auth/auth-context';
import type { MutationCallbacks } from '../orders/api';
import { catalogApi, type ProductFilters } from './api';

/*
 * The catalogue's queries as hooks, with one key factory. They sit apart from api.ts because the app shell and
 * the home page import catalogApi and must not carry these into the first load. A product's public page has its
 * own (product-query.ts), shared with the server's first render.
 */

export const catalogKeys = {
  all: ['catalog'] as const,
  facets: () => ['catalog', 'facets'] as const,
  products: (filters: ProductFilters) => ['catalog', 'products', filters] as const,
  /** Everything the console shows (products, lots, member households). */
  console: () => ['catalog', 'console'] as const,
  consoleLists: () => ['catalog', 'console', 'list'] as const,
  consoleList: (coopId: string) => ['catalog', 'console', 'list', coopId] as const,
  consoleProduct: (productId: string) => ['catalog', 'console', 'product', productId] as const,
  lots: (productId: string) => ['catalog', 'console', 'lots', productId] as const,
  memberHouseholds: (coopId: string) => ['catalog', 'console', 'member-households', coopId] as const,
};

/** The filters' choices (categories, provinces). */
export function useFacets() {
  const client = useApiClient();
  return useQuery({
    queryKey: catalogKeys.facets(),
    queryFn: ({ signal }) => catalogApi.facets(client, signal),
    staleTime: 60_000,
  });
}

/** Published products matching the filters, a page at a time (the previous results stay while new ones load). */
export function useProducts(filters: ProductFilters) {
  const client = useApiClient();
  return useInfiniteQuery({
    queryKey: catalogKeys.products(filters),
    queryFn: ({ pageParam, signal }) => catalogApi.list(client, { ...filters, page: pageParam }, signal),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
    placeholderData: keepPreviousData,
  });
}

/** A cooperative's products in the console. */
export function useConsoleProducts(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: catalogKeys.consoleList(coopId),
    queryFn: ({ signal }) => catalogApi.consoleList(client, coopId, signal),
  });
}

/** One product in the console. */
export function useConsoleProduct(productId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: catalogKeys.consoleProduct(productId),
    queryFn: ({ signal }) => catalogApi.consoleGet(client, productId, signal),
  });
}

/** Puts a saved product in the cache and reloads the console lists. */
function useProductSaved() {
  const queryClient = useQueryClient();
  return (p: ConsoleProduct) => {
    queryClient.setQueryData(catalogKeys.consoleProduct(p.id), p);
    void queryClient.invalidateQueries({ queryKey: catalogKeys.consoleLists() });
  };
}

/** Creates a product of a cooperative (`toRequest` adds what the form does not hold, e.g. its photos). */
export function useCreateProduct(
  coopId: string,
  toRequest: (body: CreateProductRequest) => CreateProductRequest,
  on: MutationCallbacks<ConsoleProduct, CreateProductRequest>,
) {
  const client = useApiClient();
  const saved = useProductSaved();
  return useMutation({
    mutationFn: (body: CreateProductRequest) => catalogApi.create(client, coopId, toRequest(body)),
    onSuccess: (...args) => {
      saved(args[0]);
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}

export function useUpdateProduct(productId: string, on: MutationCallbacks<ConsoleProduct, CreateProductRequest>) {
  const client = useApiClient();
  const saved = useProductSaved();
  return useMutation({
    mutationFn: (body: CreateProductRequest) => catalogApi.update(client, productId, body),
    onSuccess: (...args) => {
      saved(args[0]);
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}

/** A product's harvest lots. */
export function useLots(productId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: catalogKeys.lots(productId),
    queryFn: ({ signal }) => catalogApi.lots(client, productId, signal),
  });
}

/** The member households a lot can be split between (asked only when the reader may edit). */
export function useMemberHouseholds(coopId: string, enabled: boolean) {
  const client = useApiClient();
  return useQuery({
    queryKey: catalogKeys.memberHouseholds(coopId),
    queryFn: ({ signal }) => catalogApi.memberHouseholds(client, coopId, signal),
    enabled,
  });
}

/** Records a harvest lot; the console reloads before `onSuccess`'s page reaction. */
export function useCreateLot(productId: string, on: MutationCallbacks<unknown, CreateLotRequest>) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateLotRequest) => catalogApi.createLot(client, productId, body),
    onSuccess: (...args) => {
      void queryClient.invalidateQueries({ queryKey: catalogKeys.console() });
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}
