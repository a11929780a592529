import type { Directive } from 'vue'
import type { Role } from '../api'
import { useArchiveStore } from '../stores/archive'

/**
 * `v-role="'档案管理员'"` (or a list): hide an action the signed-in user's
 * roles do not allow. Only a convenience — the core refuses such calls anyway.
 */
export const vRole: Directive<HTMLElement, Role | Role[]> = {
  mounted: apply,
  updated: apply,
}

function apply(el: HTMLElement, binding: { value: Role | Role[] }) {
  const roles = Array.isArray(binding.value) ? binding.value : [binding.value]
  const store = useArchiveStore()
  el.style.display = roles.some((r) => store.can(r)) ? '' : 'none'
}
