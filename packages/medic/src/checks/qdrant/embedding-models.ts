/**
 * Output dimensions of well-known embedding models, as data, so a Qdrant collection can be
 * configured with `model: text-embedding-3-large` instead of `size: 3072`. Values are each model's
 * default (native) output size; models that can be shortened (OpenAI text-embedding-3-*, Matryoshka
 * models) need an explicit `size:` when the app asks for fewer dimensions.
 */

export const EMBEDDING_MODELS: Record<string, number> = {
  // OpenAI
  'text-embedding-ada-002': 1536,
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  // Cohere
  'embed-english-v3.0': 1024,
  'embed-multilingual-v3.0': 1024,
  'embed-english-light-v3.0': 384,
  'embed-multilingual-light-v3.0': 384,
  // Google
  'text-embedding-004': 768,
  // Mistral
  'mistral-embed': 1024,
  // Amazon Bedrock
  'amazon.titan-embed-text-v1': 1536,
  // Open models (sentence-transformers, BAAI, nomic, mixedbread, intfloat)
  'all-minilm-l6-v2': 384,
  'all-minilm-l12-v2': 384,
  'all-mpnet-base-v2': 768,
  'bge-small-en-v1.5': 384,
  'bge-base-en-v1.5': 768,
  'bge-large-en-v1.5': 1024,
  'bge-m3': 1024,
  'nomic-embed-text-v1': 768,
  'nomic-embed-text-v1.5': 768,
  'nomic-embed-text': 768,
  'mxbai-embed-large-v1': 1024,
  'mxbai-embed-large': 1024,
  'e5-small-v2': 384,
  'e5-base-v2': 768,
  'e5-large-v2': 1024,
  'multilingual-e5-large': 1024,
}

/** `sentence-transformers/all-MiniLM-L6-v2`, `BAAI/bge-base-en-v1.5`, `nomic-embed-text:latest` → the table's key. */
export function normaliseModel(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^.*\//, '')
    .replace(/:latest$/, '')
}

export function modelDimensions(name: string): number | undefined {
  return EMBEDDING_MODELS[normaliseModel(name)]
}
