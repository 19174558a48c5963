import { useState } from "react"
import { Button } from "@/components/ui/button"
import { Textarea } from "@/components/ui/textarea"
import { Badge } from "@/components/ui/badge"
import { Send, Copy, RefreshCw, Check } from "lucide-react"

// An editable reply suggestion. The seller edits the text; "Enviar" sends exactly what is in the box.
// The server answers the action with the outcome; the box keeps it in its props (updateElement), so
// a resumed thread shows it as sent too.
export default function ReplyBox() {
  const [text, setText] = useState(props.text || "")
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(props.error || null)
  const [notice, setNotice] = useState(null)
  const sent = props.status === "sent" || props.status === "sent_by_hand"
  const payload = () => ({ suggestion_id: props.suggestion_id, tone: props.tone, text })

  const send = async () => {
    setBusy(true)
    setError(null)
    try {
      const answer = await callAction({ name: "send_reply", payload: payload() })
      const outcome = (answer && answer.response) || {}
      if (outcome.ok) {
        await updateElement({ ...props, text, status: outcome.status, status_label: outcome.label, error: null })
      } else {
        setError(outcome.message || "Não foi possível enviar. Tente de novo.")
      }
    } catch (e) {
      setError("Não foi possível enviar. Verifique a conexão e tente de novo.")
    } finally {
      setBusy(false)
    }
  }
  const copy = async () => {
    try { await navigator.clipboard.writeText(text) } catch (e) { /* clipboard may be blocked */ }
    setNotice("Copiado!")
    await callAction({ name: "copy_reply", payload: payload() })
  }
  const otherTone = () => callAction({ name: "other_tone", payload: payload() })

  return (
    <div className="reply-box flex flex-col gap-2 rounded-lg border p-3 my-1" data-tone={props.tone} data-status={props.status || ""} data-suggestion-id={props.suggestion_id}>
      <div className="flex items-center gap-2">
        <Badge variant="outline">Tom: {props.tone}</Badge>
        {props.flagged ? <Badge variant="destructive">confira os números</Badge> : null}
        {sent ? <Badge className="reply-sent"><Check className="h-3 w-3 mr-1" />{props.status_label || "enviada"}</Badge> : null}
        {notice ? <span className="text-xs text-muted-foreground">{notice}</span> : null}
      </div>
      <Textarea
        className="reply-text min-h-[96px]"
        value={text}
        disabled={sent}
        aria-label={"Sugestão em tom " + props.tone}
        onChange={(e) => setText(e.target.value)}
      />
      {error ? <div className="reply-error text-sm text-red-600">{error}</div> : null}
      <div className="flex flex-wrap gap-2">
        <Button size="sm" className="reply-send" disabled={busy || sent || !text.trim()} onClick={send}>
          <Send className="h-4 w-4 mr-1" /> {busy ? "Enviando…" : "Enviar"}
        </Button>
        <Button size="sm" variant="outline" className="reply-copy" onClick={copy}>
          <Copy className="h-4 w-4 mr-1" /> Copiar
        </Button>
        <Button size="sm" variant="outline" className="reply-other" disabled={sent || busy} onClick={otherTone}>
          <RefreshCw className="h-4 w-4 mr-1" /> Outro tom
        </Button>
      </div>
    </div>
  )
}
