// Outpost's own progressive touches; every page works without this file (see src/views).
// Enter sends (Shift+Enter: a new line; never while an IME composes), Escape cancels an edit,
// the tab title follows the conversation, times read in the reader's zone, and a streaming
// answer stays in view.
;(() => {
  const title = () => {
    const h1 = document.getElementById('conversation-title')
    if (h1?.textContent) document.title = `${h1.textContent.trim()} · Outpost`
  }
  const localTimes = (root) => {
    for (const time of root.querySelectorAll('time[data-local]')) {
      const when = new Date(time.getAttribute('datetime'))
      if (Number.isNaN(when.getTime())) continue
      time.textContent = when.toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      })
      time.title = `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`
      time.removeAttribute('data-local')
    }
  }
  // Follow the answer only while the reader is at the bottom: scrolling up to read stops it.
  let following = true
  addEventListener(
    'scroll',
    () => {
      const doc = document.documentElement
      following = doc.scrollHeight - (scrollY + innerHeight) < 160
    },
    { passive: true },
  )
  const refresh = (mutations) => {
    title()
    localTimes(document)
    const grew = mutations?.some((m) => m.target.closest?.('#messages') || m.target.id === 'main')
    if (grew && following && document.querySelector('#messages [aria-busy="true"]')) {
      document.documentElement.scrollTop = document.documentElement.scrollHeight
    }
  }
  addEventListener('keydown', (event) => {
    const input = event.target
    // Escape leaves a message's edit form as it was (its Cancel brings the message back).
    if (event.key === 'Escape' && input.closest?.('.edit-form')) {
      input.closest('.edit-form').querySelector('.edit-cancel')?.click()
      return
    }
    if (event.key !== 'Enter' || event.shiftKey) return
    if (!input.matches?.('.composer textarea, .edit-form textarea')) return
    // keyCode 229: Safari reports the Enter that ends an IME composition this way.
    if (event.isComposing || event.keyCode === 229) return
    event.preventDefault()
    if (input.value.trim()) input.form.requestSubmit()
  })
  addEventListener('DOMContentLoaded', () => {
    refresh()
    new MutationObserver(refresh).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    })
  })
})()
