// @vitest-environment node
// The dashboard's API types (src/api/schema.d.ts) are what openapi-typescript makes of the
// checked-in OpenAPI document (docs/openapi.json); the .NET test OpenApiTests checks that document
// against the one the service serves.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { generateSchema, regenerate, schemaFile } from './generate-api.mjs'

describe('src/api/schema.d.ts', () => {
  it('is generated from the current docs/openapi.json', async () => {
    const expected = await generateSchema()
    const actual = await readFile(schemaFile, 'utf8').catch(() => '')
    expect(actual === expected, `src/api/schema.d.ts is out of date with docs/openapi.json. Regenerate: ${regenerate}`).toBe(true)
  })
})
