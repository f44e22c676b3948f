// Nothing typed into an audit is lost. htmx posts the form to the autosave endpoint as the
// auditor works; this keeps a copy of what they typed in the browser until the server has it,
// so that if the session timed out (or the connection dropped) the answers are put back
// when they return to the page, with a notice. The copy is removed as soon as it is saved,
// and copies older than a day are discarded: this is a device that may be shared.
(function () {
  'use strict'

  var MAX_AGE_MS = 24 * 60 * 60 * 1000
  var form = document.querySelector('form[data-autosave-key]')
  if (!form) {
    // The audit can no longer change (submitted, say): no copy of it is needed any more.
    // Each part of the audit keeps its own copy, under the audit's key and the part's number.
    var done = document.querySelector('[data-autosave-forget]')
    if (done) {
      var prefix = done.getAttribute('data-autosave-forget')
      try {
        Object.keys(window.localStorage).forEach(function (name) {
          if (name === prefix || name.indexOf(prefix + ':') === 0) window.localStorage.removeItem(name)
        })
      } catch (e) {}
    }
    return
  }
  var key = form.getAttribute('data-autosave-key')
  var status = document.getElementById('autosave-status')
  var lastEdit = 0
  var editAtSend = 0

  function values () {
    var result = {}
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === 'csrfmiddlewaretoken' || el.name === 'lock_version') return
      if (el.type === 'radio') {
        if (!(el.name in result)) result[el.name] = ''
        if (el.checked) result[el.name] = el.value
      } else if (el.tagName === 'TEXTAREA' || el.type === 'text') {
        result[el.name] = el.value
      }
    })
    return result
  }

  function read () {
    try {
      var copy = JSON.parse(window.localStorage.getItem(key) || 'null')
      if (copy && Date.now() - copy.at < MAX_AGE_MS) return copy
      window.localStorage.removeItem(key)
    } catch (e) { /* storage unavailable or corrupt: nothing to restore */ }
    return null
  }

  function keep () {
    lastEdit = Date.now()
    try {
      window.localStorage.setItem(key, JSON.stringify({ at: lastEdit, values: values() }))
    } catch (e) { /* private browsing or full: the server copy still saves */ }
  }

  function forget () {
    try { window.localStorage.removeItem(key) } catch (e) { /* nothing kept */ }
  }

  function same (a, b) {
    return Object.keys(a).every(function (name) { return (b[name] || '') === (a[name] || '') })
  }

  function restore () {
    var copy = read()
    if (!copy) return
    if (same(copy.values, values())) { forget(); return }
    Object.keys(copy.values).forEach(function (name) {
      var value = copy.values[name]
      Array.prototype.forEach.call(form.querySelectorAll('[name="' + name + '"]'), function (el) {
        if (el.type === 'radio') el.checked = el.value === value
        else el.value = value
      })
    })
    lastEdit = copy.at
    var notice = document.querySelector('[data-autosave-notice]')
    if (notice) {
      var when = notice.querySelector('[data-autosave-notice-when]')
      if (when) when.textContent = ' (last typed at ' + new Date(copy.at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }) + ')'
      notice.hidden = false
      notice.setAttribute('tabindex', '-1')
      notice.focus()
    }
  }

  function tell (message) {
    if (!status) return
    status.innerHTML = ''
    var p = document.createElement('p')
    p.className = 'govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-0'
    p.textContent = message
    status.appendChild(p)
  }

  form.addEventListener('input', keep)
  form.addEventListener('change', keep)

  // "Save and continue" pressed while an autosave is on its way would post the version the
  // page had before that save, and be refused as changed elsewhere: wait for the autosave's
  // answer (which brings the new version), then send the form as the person asked.
  // Once the form itself is on its way it carries every answer: an autosave still waiting for
  // its delay would post the old version behind it, so none goes from this page any more.
  var saving = false
  var waiting = null
  var submitted = false
  form.addEventListener('submit', function (event) {
    if (!saving) {
      submitted = true
      return
    }
    event.preventDefault()
    waiting = event.submitter || form.querySelector('button[type="submit"]')
  })

  document.body.addEventListener('htmx:beforeRequest', function (event) {
    if (event.detail.elt !== form) return
    if (submitted) {
      event.preventDefault()
      return
    }
    editAtSend = lastEdit
    saving = true
  })

  // The endpoint answers refusals (signed out, changed elsewhere) with a status to show;
  // htmx only swaps 2xx answers unless told to.
  document.body.addEventListener('htmx:beforeSwap', function (event) {
    // This event fires on the swap target; the form that asked is in requestConfig.
    var config = event.detail.requestConfig
    if (!config || config.elt !== form) return
    var xhr = event.detail.xhr
    if (xhr.status >= 400 && xhr.getResponseHeader('X-Autosave-Status') === 'not-saved') {
      event.detail.shouldSwap = true
      event.detail.isError = false
    }
  })

  document.body.addEventListener('htmx:afterRequest', function (event) {
    if (event.detail.elt !== form) return
    saving = false
    if (waiting) {
      var submitter = waiting
      waiting = null
      window.setTimeout(function () { form.requestSubmit(submitter) }, 0)
    }
    var xhr = event.detail.xhr
    var saved = xhr && xhr.status === 200 && xhr.getResponseHeader('X-Autosave-Status') === 'saved'
    if (saved && lastEdit === editAtSend) forget()
    if (!saved && xhr && !xhr.getResponseHeader('X-Autosave-Status')) {
      tell('Your latest changes are not saved yet: the service could not be reached. They are kept in this browser and will be saved when you next change something.')
    }
  })

  document.body.addEventListener('htmx:sendError', function (event) {
    if (event.detail.elt === form) {
      tell('Your latest changes are not saved yet: the connection failed. They are kept in this browser and will be saved when you next change something.')
    }
  })

  restore()
})()
