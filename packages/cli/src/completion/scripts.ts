/**
 * The completion scripts `kproxy completion bash|zsh|fish` prints. Each is a thin shell function that
 * hands the words typed so far to `kproxy __complete` (see `complete.ts`) and shows its answer; all the
 * knowledge of commands and options stays in one place, the command definitions. Tested in the real
 * shells by e2e/cli/completion.test.ts.
 */

/** What `kproxy __complete` prints when the word is a path: the script completes file names itself. */
export const FILES_DIRECTIVE = ':files';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const bash = `# kproxy completion for bash. Load it in ~/.bashrc with:
#   source <(kproxy completion bash)
_kproxy_complete() {
  local current="\${COMP_WORDS[COMP_CWORD]}"
  local -a lines
  mapfile -t lines < <(kproxy __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null | cut -f1)
  if [[ "\${lines[0]}" == "${FILES_DIRECTIVE}" ]]; then
    mapfile -t COMPREPLY < <(compgen -f -- "$current")
    compopt -o filenames 2>/dev/null
    return 0
  fi
  COMPREPLY=("\${lines[@]}")
}
complete -F _kproxy_complete kproxy
`;

const zsh = `#compdef kproxy
# kproxy completion for zsh. Load it in ~/.zshrc (after compinit) with:
#   source <(kproxy completion zsh)
_kproxy() {
  local -a lines described
  local line value
  lines=("\${(@f)$(kproxy __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ "\${lines[1]}" == "${FILES_DIRECTIVE}" ]]; then
    _files
    return
  fi
  for line in "\${lines[@]}"; do
    [[ -z "$line" ]] && continue
    value="\${line%%$'\\t'*}"
    if [[ "$line" == *$'\\t'* ]]; then
      described+=("\${value//:/\\\\:}:\${line#*$'\\t'}")
    else
      described+=("\${value//:/\\\\:}")
    fi
  done
  _describe -t values 'kproxy' described
}
if (( $+functions[compdef] )); then
  compdef _kproxy kproxy
fi
`;

const fish = `# kproxy completion for fish. Install it with:
#   kproxy completion fish > ~/.config/fish/completions/kproxy.fish
function __kproxy_complete
    set -l words (commandline -opc) (commandline -ct)
    set -e words[1]
    set -l lines (kproxy __complete $words 2>/dev/null)
    if test "$lines[1]" = "${FILES_DIRECTIVE}"
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\\n' $lines
end
complete -c kproxy -f -a '(__kproxy_complete)'
`;

export const COMPLETION_SCRIPTS: Readonly<Record<Shell, string>> = { bash, zsh, fish };
