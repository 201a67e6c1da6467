/** Types of schemaEnums.mjs (reads the enums of the checked-in schema.graphql). */
export interface SchemaEnum {
  name: string;
  values: string[];
}

/** Absolute path of the repository's schema.graphql. */
export const SCHEMA_PATH: string;
export function parseEnums(sdl: string): SchemaEnum[];
export function schemaEnums(): SchemaEnum[];
