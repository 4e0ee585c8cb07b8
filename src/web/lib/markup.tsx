// Message text -> Preact nodes, from the tree markdown.ts parses. Text stays text (Preact escapes it); the only
// elements are the ones below: formatting, code (highlighted by highlight.ts), quotes, headings, lists,
// spoilers that reveal on click, mentions of users, roles and channels, custom emoji, and http(s) links, which
// open in a new tab without a referrer. A masked link ([text](url)) shows its real URL on hover and asks
// before leaving, as link buttons do.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { EmojiGlyph } from '../components/custom-emoji.tsx';
import { ConfirmDialog } from '../components/dialog.tsx';
import { highlight } from './highlight.ts';
import { type Block, type Inline, parseMarkdown } from './markdown.ts';
import { navigate, paths } from './router.tsx';
import { appHref } from './urls.ts';

export type MarkupContext = {
  /** Display name for a user id, or null when unknown. */
  nameOf: (userId: string) => string | null;
  meId: string | undefined;
  /** A role of the message's server, for `<@&id>`. */
  roleOf?: (roleId: string) => { name: string; color: number } | null;
  /** A channel the reader knows of, for `<#id>`. */
  channelOf?: (channelId: string) => ChannelRef | null;
  /** The reader's roles in the message's server: a mention of one of them is a mention of the reader. */
  myRoleIds?: readonly string[];
};

const REL = 'noopener noreferrer nofollow ugc';

/** A mentioned channel; a thread is named but not a link (it opens beside its parent, not on a page). */
export type ChannelRef = { name: string; guildId: string | null; thread?: boolean };

export function renderContent(content: string, ctx: MarkupContext): ComponentChildren[] {
  return renderBlocks(parseMarkdown(content), ctx);
}

function renderBlocks(blocks: Block[], ctx: MarkupContext): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  for (const block of blocks) {
    switch (block.t) {
      case 'text':
        // Prose stays inline (the message keeps `white-space: pre-wrap`), so a one-line message is just text.
        out.push(...renderInline(block.c, ctx));
        break;
      case 'codeblock':
        out.push(
          <pre class="code-block" data-lang={block.lang ?? undefined}>
            <code>
              {highlight(block.text, block.lang).map((token) => (token.kind === 'plain' ? token.text : <span class={`hl-${token.kind}`}>{token.text}</span>))}
            </code>
          </pre>,
        );
        break;
      case 'quote':
        out.push(<blockquote class="md-quote">{renderBlocks(block.c, ctx)}</blockquote>);
        break;
      case 'heading': {
        const Tag = (['h3', 'h4', 'h5'] as const)[block.level - 1] ?? 'h5';
        out.push(<Tag class={`md-heading md-h${block.level}`}>{renderInline(block.c, ctx)}</Tag>);
        break;
      }
      case 'list': {
        const items = block.items.map((item) => <li>{renderInline(item, ctx)}</li>);
        out.push(
          block.ordered ? (
            <ol class="md-list" start={block.start}>
              {items}
            </ol>
          ) : (
            <ul class="md-list">{items}</ul>
          ),
        );
        break;
      }
    }
  }
  return out;
}

function renderInline(nodes: Inline[], ctx: MarkupContext): ComponentChildren[] {
  return nodes.map((node) => renderNode(node, ctx));
}

function renderNode(node: Inline, ctx: MarkupContext): ComponentChildren {
  if (typeof node === 'string') return node;
  switch (node.t) {
    case 'bold':
      return <strong>{renderInline(node.c, ctx)}</strong>;
    case 'italic':
      return <em>{renderInline(node.c, ctx)}</em>;
    case 'underline':
      return <u>{renderInline(node.c, ctx)}</u>;
    case 'strike':
      return <s>{renderInline(node.c, ctx)}</s>;
    case 'spoiler':
      return <Spoiler>{renderInline(node.c, ctx)}</Spoiler>;
    case 'code':
      return <code class="inline-code">{node.text}</code>;
    case 'user': {
      const name = ctx.nameOf(node.id);
      return (
        <span class={node.id === ctx.meId ? 'mention mention-me' : 'mention'} title={name ? undefined : `User ${node.id}`}>
          @{name ?? 'unknown-user'}
        </span>
      );
    }
    case 'role': {
      const role = ctx.roleOf?.(node.id) ?? null;
      const mine = ctx.myRoleIds?.includes(node.id) === true;
      const colour = role?.color ? `#${role.color.toString(16).padStart(6, '0')}` : null;
      return (
        <span
          class={`mention role-mention${mine ? ' mention-me' : ''}${colour ? ' role-colour' : ''}`}
          data-role-id={node.id}
          // Set through the CSSOM by Preact, which the page's CSP (no inline style attributes) allows.
          style={colour ? { '--role-colour': colour, backgroundColor: `${colour}26` } : undefined}
        >
          @{role?.name ?? 'deleted-role'}
        </span>
      );
    }
    case 'channel':
      return <ChannelMention id={node.id} channel={ctx.channelOf?.(node.id) ?? null} />;
    case 'everyone':
      return <span class="mention mention-me">@{node.which}</span>;
    case 'emoji':
      return <EmojiGlyph emoji={`${node.animated ? 'a:' : ''}${node.name}:${node.id}`} />;
    case 'link':
      return node.masked ? (
        <MaskedLink href={node.href}>{renderInline(node.c, ctx)}</MaskedLink>
      ) : (
        <a href={node.href} target="_blank" rel={REL}>
          {renderInline(node.c, ctx)}
        </a>
      );
  }
}

function Spoiler({ children }: { children: ComponentChildren }) {
  const [shown, setShown] = useState(false);
  if (shown) return <span class="spoiler revealed">{children}</span>;
  return (
    // Hidden text is not read out either until revealed. A span, not a <button>: the hidden text may hold links.
    // biome-ignore lint/a11y/useSemanticElements: a button may not contain the links a spoiler can hide
    <span
      class="spoiler"
      role="button"
      tabIndex={0}
      aria-label="Spoiler, activate to reveal"
      onClick={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setShown(true);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          setShown(true);
        }
      }}
    >
      <span class="spoiler-text" aria-hidden="true">
        {children}
      </span>
    </span>
  );
}

function MaskedLink({ href, children }: { href: string; children: ComponentChildren }) {
  const [leaving, setLeaving] = useState(false);
  return (
    <>
      <a
        class="masked-link"
        href={href}
        target="_blank"
        rel={REL}
        title={href}
        onClick={(e) => {
          e.preventDefault();
          setLeaving(true);
        }}
      >
        {children}
      </a>
      {leaving ? (
        <ConfirmDialog
          title="Leaving Harmony"
          message={
            <p>
              This link goes to <strong class="leaving-url">{href}</strong>. Are you sure you want to go there?
            </p>
          }
          confirmLabel="Visit site"
          onConfirm={async () => {
            window.open(href, '_blank', 'noopener,noreferrer');
          }}
          onClose={() => setLeaving(false)}
        />
      ) : null}
    </>
  );
}

function ChannelMention({ id, channel }: { id: string; channel: ChannelRef | null }) {
  if (!channel) return <span class="mention channel-mention unknown">#unknown-channel</span>;
  if (channel.thread) return <span class="mention channel-mention">#{channel.name}</span>;
  const to = channel.guildId ? paths.channel(channel.guildId, id) : paths.dm(id);
  return (
    <a
      class="mention channel-mention"
      href={appHref(to)}
      data-channel-id={id}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      #{channel.name}
    </a>
  );
}

/** Whether a message pings this user: a direct mention, @everyone/@here, or one of their roles. */
export function mentionsMe(
  message: { mentions?: string[]; mention_everyone?: boolean; mention_roles?: string[] },
  meId: string | undefined,
  myRoleIds: readonly string[] = [],
): boolean {
  return (
    !!meId &&
    (message.mentions?.includes(meId) === true || message.mention_everyone === true || (message.mention_roles ?? []).some((id) => myRoleIds.includes(id)))
  );
}

/**
 * A message as one line, for a reply's header: the same formatting, mentions and emoji, with blocks flattened into
 * the line (code blocks as inline code). It sits inside the reply's button, so nothing in it is interactive: links
 * and channel mentions are styled text, and a spoiler is a closed box without its text (open it on the message).
 */
export function renderPreview(content: string, ctx: MarkupContext): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const flatten = (blocks: Block[]) => {
    for (const block of blocks) {
      if (out.length > 0) out.push(' ');
      switch (block.t) {
        case 'text':
        case 'heading':
          out.push(...block.c.map((node) => previewNode(node, ctx)));
          break;
        case 'codeblock':
          out.push(<code class="inline-code">{block.text}</code>);
          break;
        case 'quote':
          flatten(block.c);
          break;
        case 'list':
          block.items.forEach((item, i) => {
            if (i > 0) out.push(' ');
            out.push(...item.map((node) => previewNode(node, ctx)));
          });
          break;
      }
    }
  };
  flatten(parseMarkdown(content));
  return out;
}

function previewNode(node: Inline, ctx: MarkupContext): ComponentChildren {
  if (typeof node === 'string') return node;
  const inner = (nodes: Inline[]) => nodes.map((n) => previewNode(n, ctx));
  switch (node.t) {
    case 'spoiler':
      return (
        <span class="spoiler" role="img" aria-label="Spoiler">
          {'\u2007'.repeat(6)}
        </span>
      );
    case 'channel': {
      const channel = ctx.channelOf?.(node.id) ?? null;
      return <span class="mention channel-mention">#{channel?.name ?? 'unknown-channel'}</span>;
    }
    case 'link':
      return <span class="preview-link">{inner(node.c)}</span>;
    case 'bold':
      return <strong>{inner(node.c)}</strong>;
    case 'italic':
      return <em>{inner(node.c)}</em>;
    case 'underline':
      return <u>{inner(node.c)}</u>;
    case 'strike':
      return <s>{inner(node.c)}</s>;
    case 'code':
    case 'user':
    case 'role':
    case 'everyone':
    case 'emoji':
      // Leaves, neither interactive nor hiding anything: as in the message itself.
      return renderNode(node, ctx);
  }
}
