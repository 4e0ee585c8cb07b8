// The settings screens' lists of things (members, K/V keys): a row each, named columns, and last the row's
// buttons. That column's header is for screen readers only ("Actions"), so every table says it the same way.
import type { ComponentChildren } from 'preact';

export function ActionsTable({ columns, class: extraClass, children }: { columns: string[]; class?: string; children: ComponentChildren }) {
  return (
    <table class={extraClass ? `table ${extraClass}` : 'table'}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
