export function createStore() {
  const todos = []
  let nextId = 1
  return {
    list: () => todos.map((todo) => ({ ...todo })),
    add(title) {
      const todo = { id: nextId++, title, done: false }
      todos.push(todo)
      return { ...todo }
    },
  }
}
