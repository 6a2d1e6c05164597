let nextId = 1

export function createPost(title, body) {
  if (!title || !title.trim()) throw new Error("a post needs a title")
  return { id: nextId++, title: title.trim(), body: body ?? "" }
}
