// Permission checkboxes grouped as the seed's table (Messages, Channels, Voice, Server), and the
// allow / inherit / deny version for channel overwrites. Names that share one Discord flag move together.
import { aliasesOf, has, PERMISSION_GROUPS, type PermissionCategory, permissionLabel } from '../lib/permissions.ts';

export function PermissionPicker({
  value,
  onChange,
  idPrefix,
  disabled,
}: {
  value: bigint;
  onChange: (bits: bigint) => void;
  idPrefix: string;
  disabled?: boolean;
}) {
  return (
    <div class="permission-groups">
      {(Object.keys(PERMISSION_GROUPS) as PermissionCategory[]).map((category) => (
        <fieldset key={category} class="permission-group">
          <legend>{category}</legend>
          {Object.entries(PERMISSION_GROUPS[category]).map(([name, flag]) => {
            const id = `${idPrefix}-${name}`;
            const aliases = aliasesOf(name);
            return (
              <div class="checkbox" key={name}>
                <input
                  id={id}
                  type="checkbox"
                  name={name}
                  checked={has(value, flag)}
                  disabled={disabled}
                  onChange={(e) => onChange(e.currentTarget.checked ? value | flag : value & ~flag)}
                />
                <label for={id}>
                  {permissionLabel(name)} <code class="perm-name">{name}</code>
                  {aliases.length ? <span class="hint"> (same as {aliases.join(', ')})</span> : null}
                </label>
              </div>
            );
          })}
        </fieldset>
      ))}
    </div>
  );
}

export type TriState = 'allow' | 'inherit' | 'deny';

export function OverwritePicker({
  allow,
  deny,
  onChange,
  idPrefix,
}: {
  allow: bigint;
  deny: bigint;
  onChange: (allow: bigint, deny: bigint) => void;
  idPrefix: string;
}) {
  const stateOf = (flag: bigint): TriState => (has(allow, flag) ? 'allow' : has(deny, flag) ? 'deny' : 'inherit');
  const set = (flag: bigint, state: TriState) => {
    const a = state === 'allow' ? allow | flag : allow & ~flag;
    const d = state === 'deny' ? deny | flag : deny & ~flag;
    onChange(a, d);
  };
  return (
    <div class="permission-groups">
      {(Object.keys(PERMISSION_GROUPS) as PermissionCategory[]).map((category) => (
        <fieldset key={category} class="permission-group">
          <legend>{category}</legend>
          {Object.entries(PERMISSION_GROUPS[category]).map(([name, flag]) => (
            <fieldset key={name} class="tristate">
              <legend>
                {permissionLabel(name)} <code class="perm-name">{name}</code>
              </legend>
              {(['allow', 'inherit', 'deny'] as const).map((state) => (
                <label key={state} class={`tri tri-${state}`}>
                  <input type="radio" name={`${idPrefix}-${name}`} checked={stateOf(flag) === state} onChange={() => set(flag, state)} />
                  {state === 'allow' ? 'Allow' : state === 'deny' ? 'Deny' : 'Inherit'}
                </label>
              ))}
            </fieldset>
          ))}
        </fieldset>
      ))}
    </div>
  );
}
