// GOV.UK Frontend's styles for script-enhanced components key on these classes. Loaded at the
// top of <body>, not inline, because the Content-Security-Policy allows no inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
