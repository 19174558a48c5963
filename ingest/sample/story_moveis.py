"""Juliana Costa sells custom furniture (Casa Bella Planejados, Belo Horizonte)."""

from model import Client, Media, Seller

SELLER = Seller(
    name="Juliana Costa",
    login="juliana",
    phone="+5531991234502",
    aliases=("Juliana Costa", "Ju | Casa Bella Planejados"),
    segment="móveis planejados",
    company="Casa Bella Planejados",
)

MEDIA = {
    "marta_preco": Media(
        kind="audio",
        text="Oi Juliana, boa tarde. Minha filha falou que na loja do shopping o armário de banheiro "
        "tá mil e oitocentos reais, já com a pia junto.",
    ),
    "marta_medida": Media(
        kind="audio",
        text="Eu queria na cor branca, com puxador dourado, e a parede do banheiro tem um metro e vinte "
        "de largura.",
    ),
    "marta_genro": Media(
        kind="audio",
        text="Vou pensar, minha filha. Vou falar com o meu genro, que entende dessas coisas, e depois "
        "eu te ligo.",
    ),
    "geraldo_esposa": Media(
        kind="audio",
        text="Juliana, bom dia. Conversei com a minha esposa e ela prefere o guarda-roupa com portas "
        "de correr, e com espelho na porta do meio. O resto pode seguir como está.",
    ),
    "contrato_geraldo": Media(
        kind="docx",
        filename="Contrato_Casa_Bella_Geraldo_Nunes.docx",
        text="CONTRATO DE FORNECIMENTO E MONTAGEM DE MÓVEIS PLANEJADOS\n"
        "Contratada: Casa Bella Planejados Ltda., Belo Horizonte/MG.\n"
        "Contratante: Geraldo Nunes.\n"
        "Objeto: closet em U com 4,8 metros lineares e guarda-roupa de 2,2 m com portas de correr, "
        "em MDF 18 mm Carvalho Hanover.\n"
        "Valor total: R$ 24.600,00.\n"
        "Forma de pagamento: entrada de R$ 7.380,00 por transferência e saldo em 10 parcelas de "
        "R$ 1.722,00 no boleto.\n"
        "Prazo de entrega e montagem: 40 (quarenta) dias úteis contados da aprovação do projeto "
        "executivo.\n"
        "Em caso de atraso, a contratada pagará multa de 0,5% do valor total por dia útil de atraso.\n"
        "Garantia: 5 (cinco) anos para estrutura e ferragens.\n"
        "Belo Horizonte, 28 de maio de 2025.",
    ),
    "catalogo": Media(
        kind="pdf",
        filename="Catalogo_Casa_Bella_2025.pdf",
        text="",
        pages=(
            "Casa Bella Planejados - Catálogo 2025\n"
            "Marcenaria sob medida em Belo Horizonte desde 2009.\n"
            "Materiais: MDF 18 mm com fita de borda de 1 mm, ferragens Blum com amortecimento, "
            "puxadores em alumínio.\n"
            "Garantia de 5 anos em estrutura e ferragens. Projeto 3D sem custo após a medição.",
            "Linhas e preços de referência\n"
            "Cozinha linha Toscana: R$ 2.950,00 por metro linear\n"
            "Guarda-roupa linha Verona: R$ 2.480,00 por metro linear\n"
            "Painel de TV linha Milano: a partir de R$ 2.300,00\n"
            "Home office linha Trento: a partir de R$ 3.900,00\n"
            "Banheiro em MDF naval: a partir de R$ 1.950,00\n"
            "Condições: entrada de 30% e saldo em até 10x no boleto; 8% de desconto à vista no pix.",
        ),
    ),
}

CLIENTS = [
    Client(
        name="Patrícia Gomes",
        phone="+5531987650011",
        platform="android",
        style="informal",
        pattern="evening",
        call="Patrícia",
        outcome="won",
        trend="positive",
        female=True,
        notes="cheaper competitor objection won with material argument and cash discount; scratched "
        "door replaced; came back for a TV panel",
        script="""
== 2025-03-17
c: Oi Juliana! Boa noite. Quero fazer minha cozinha planejada, vi umas fotos de vcs no insta, amei
s: Boa noite, Patrícia! Que bom 😍 Me passa as medidas ou posso agendar uma medição técnica gratuita?
c: pode agendar sim, sábado de manhã?
s: Agendado: sábado, 22/03, às 9h.
== 2025-03-27
s: Patrícia, segue o orçamento da cozinha em L: 6,2 metros lineares de armários superiores e inferiores, MDF 18 mm branco TX com frentes em freijó, ferragens Blum com amortecimento e torre quente para forno e micro-ondas. Total R$ 18.700,00.
c: nossa juliana, a Móveis Sul me passou 15.900 numa cozinha parecida 😕
s: Entendo, Patrícia. Mas vale comparar: nosso MDF é 18 mm (o deles é 15 mm), as dobradiças e corrediças são Blum com amortecimento e a garantia é de 5 anos. E à vista no pix eu consigo 8% de desconto: fica R$ 17.204,00.
c: hmm e da pra arredondar pra 17.200? kkk
s: Fechado, R$ 17.200,00 no pix! 🤝
c: entao bora!! 🎉
s: Oba! A produção leva 35 dias úteis. Montagem prevista para a semana de 12/05.
== 2025-05-13 07:35
s: Bom dia, Patrícia! Montadores chegando às 8h.
+10h
c: Juliana ficou LINDA 😭😍 só que uma porta do armário de cima veio riscada, do lado da coifa
s: Que bom que gostou! Sobre a porta, me manda uma foto? Já vou pedir a troca pra fábrica.
c: mandei a foto no seu email
s: Recebi. Pedido de troca feito: a porta nova chega em até 10 dias e a gente instala sem custo.
== 2025-05-26
s: Patrícia, a porta nova chegou! O montador pode ir amanhã às 18h30?
c: pode sim! obrigada pela agilidade 🙏
~4 post
== 2026-05-04
c: Ju, to pensando em fazer o painel da sala também, vcs ainda tem aquele freijó?
s: Temos sim, Patrícia! Painel de TV com rack suspenso fica a partir de R$ 3.400,00. Posso medir no sábado?
c: pode!
+5d
s: Patrícia, o painel com rack suspenso de 2,4 m em freijó ficou R$ 3.650,00, ou 10x de R$ 365,00 no cartão.
c: fechado, no cartão
~4 post
""",
    ),
    Client(
        name="Sr. Geraldo Nunes",
        phone="+5531988440022",
        platform="ios",
        style="formal",
        pattern="weekday_morning",
        call="Sr. Geraldo",
        outcome="won",
        trend="stable",
        notes="referred by the architect; wife decides the details (voice note); contract in DOCX",
        script="""
== 2025-05-12
c: Bom dia, Juliana. Sou Geraldo Nunes, indicado pela arquiteta Beatriz Lopes. Minha esposa e eu queremos fazer um closet e um guarda-roupa para o quarto de hóspedes.
s: Bom dia, Sr. Geraldo! A Beatriz é nossa parceira há anos. Posso agendar a medição para quarta-feira, às 8h?
c: Perfeitamente.
+6d
s: Sr. Geraldo, segue o orçamento: closet em U com 4,8 metros lineares e guarda-roupa de 2,2 m para o quarto de hóspedes, MDF 18 mm Carvalho Hanover. Total R$ 24.600,00.
c: Obrigado, Juliana. O valor está dentro do esperado. Preciso conversar com a minha esposa sobre os detalhes do guarda-roupa antes de fechar.
~1 nego
== 2025-05-28
c: [audio geraldo_esposa]
s: Perfeito, Sr. Geraldo. Ajustei o projeto e o valor se mantém. Segue o contrato para assinatura.
s: [doc contrato_geraldo]
c: Contrato assinado e enviado por e-mail. Transferência da entrada realizada.
s: Recebido, muito obrigada! A produção começa amanhã.
== 2025-07-21
s: Sr. Geraldo, bom dia! Montagem concluída. Qualquer ajuste, estamos à disposição.
c: Bom dia, Juliana. Ficou excelente. Minha esposa está muito satisfeita.
~5 post
""",
    ),
    Client(
        name="Camila Ribeiro",
        phone="+5531996610033",
        platform="android",
        style="informal",
        pattern="night",
        call="Camila",
        outcome="stale",
        trend="stable",
        female=True,
        notes="answers only at night; home-office estimate sent 2026-09, never answered",
        script="""
== 2026-09-08
c: oiee boa noite! vcs fazem home office? tipo mesa + estante, to trabalhando em casa agora kkk 😅
s: Boa noite, Camila! Fazemos sim 😊 Qual o tamanho da parede?
c: 2,80 de largura
c: e queria uma estante alta do lado
s: Perfeito. Posso medir no sábado às 10h?
c: sabado n da, so domingo 😩
s: Domingo não temos equipe, mas posso te passar uma estimativa pelas medidas e depois a gente confere na medição.
c: pode ser!!
+4d
s: Camila, estimativa do home office: bancada de 2,80 m com gaveteiro, estante alta de 0,90 m e nicho para impressora, em MDF 18 mm Branco TX e Louro Freijó. Total R$ 6.400,00, ou 10x de R$ 640,00.
c: aaa amei o projeto!! vou ver com meu namorado e te falo 😍
~4 cold
""",
    ),
    Client(
        name="Renata Savassi",
        phone="+5531999870044",
        platform="ios",
        style="informal",
        pattern="weekend",
        call="Renata",
        outcome="won",
        trend="positive",
        female=True,
        notes="whole flat; deadline objection solved with express production; fitters no-show resolved",
        script="""
== 2025-10-04
c: Oi Juliana! Eu e o Bruno compramos um apê na Savassi e queremos fazer tudo planejado: cozinha, 2 quartos e painel da sala. A mudança é em março 😬
s: Oi Renata! Parabéns pelo apê! 🎉 Vamos sim. Consegue me mandar a planta?
c: te mandei a planta por email
+7d
s: Renata, segue o orçamento completo: cozinha, dois quartos com guarda-roupas e painel da sala. Total R$ 62.000,00. Entrada de 30% e o restante em 10x no boleto.
c: O valor a gente consegue, a preocupação é o prazo! A gente entrega o aluguel dia 15 de março, precisa estar tudo montado antes
s: Entendo! Fechando até 15/12, coloco vocês na produção expressa: montagem concluída até 28/02. E coloco o prazo em contrato, com multa se atrasar.
c: perfeito, vou falar com o Bruno
+1d
c: Fechado!! o Bruno topou 🥳
s: Que alegria! Vou preparar o contrato.
~2 idle
== 2026-02-14
c: Juliana, os montadores não apareceram hoje de manhã!! Tiramos o dia de folga pra isso 😡
s: Renata, me desculpa! Houve um erro na agenda da equipe. Já remarquei para amanhã, domingo, às 8h, com dois montadores a mais para terminar no prazo.
c: <deleted>
c: ok, mas por favor confirma mesmo
s: Confirmado, Renata. E vou incluir um armário suspenso na lavanderia, de cortesia, pelo transtorno.
== 2026-02-26
c: Juliana, ficou tudo PERFEITO 😍 terminaram hoje! obrigada por resolver
s: Que bom, Renata! Felicidades no apê novo 🏡
~4 post
""",
    ),
    Client(
        name="Dona Marta Silveira",
        phone="+5531984420055",
        platform="android",
        style="formal",
        pattern="afternoon",
        call="Dona Marta",
        outcome="open",
        trend="stable",
        female=True,
        notes="audio-heavy elderly client; competitor price, colour and size only in voice notes",
        script="""
== 2026-07-06
c: Boa tarde minha filha. Aqui é a Marta, vizinha da Patrícia. Vou mandar um áudio que é mais fácil pra mim
c: [audio marta_preco]
s: Boa tarde, Dona Marta! Ouvi sim. O nosso armário de banheiro é sob medida, em MDF naval, que não estufa com a umidade, diferente desses de loja. Posso ir aí medir?
c: [audio marta_medida]
s: Anotado, Dona Marta! Com essas informações já consigo fazer uma estimativa.
+2d
s: Dona Marta, o gabinete sob medida em MDF naval, com cuba de apoio e espelheira, fica R$ 2.350,00, e parcelamos em até 10x sem juros.
c: [audio marta_genro]
s: Claro, Dona Marta! Fico aguardando.
~4 nego
""",
    ),
    Client(
        name="Felipe Andrade",
        phone="+5531991130066",
        platform="android",
        style="short",
        pattern="lunch_evening",
        call="Felipe",
        outcome="open",
        trend="stable",
        notes="very short answers; bought a TV panel in 2025; kitchen quote open since 2026-07",
        script="""
== 2025-08-04
c: boa tarde. painel de tv, quanto?
s: Boa tarde, Felipe! Depende do tamanho. Qual a largura da parede?
c: 3m
s: Painel de 3 m em MDF Nogueira com rack suspenso e LED: R$ 3.200,00. À vista no pix tem 5% de desconto.
c: fecho pix
s: Perfeito! Fica R$ 3.040,00. Montagem em 20 dias úteis.
c: ok
== 2025-09-02
s: Felipe, montagem concluída. Se puder, manda uma foto depois 😊
c: top
~3 idle
== 2026-07-13
c: agora a cozinha
c: reforma em outubro
s: Oi Felipe! Que bom te ver de volta. Me manda a planta ou agendamos a medição?
c: medição
s: Sábado, 18/07, às 10h?
c: ok
+7d
s: Felipe, cozinha reta de 3,6 m com ilha: R$ 21.300,00. Entrada de 30% e 10x no boleto, ou 7% de desconto à vista.
c: vou ver
~4 nego
""",
    ),
    Client(
        name="Arq. Beatriz Lopes",
        phone="+5531997750077",
        platform="ios",
        style="formal",
        pattern="business",
        call="Beatriz",
        outcome="open",
        trend="positive",
        female=True,
        notes="architect partner (10% RT); referred Sr. Geraldo; dental office quote open",
        script="""
== 2025-02-10
c: Bom dia, Juliana. Estou com três projetos de interiores este semestre e procuro uma marcenaria parceira. Vocês trabalham com RT para arquitetos?
s: Bom dia, Beatriz! Trabalhamos sim: pagamos 10% de RT sobre o valor líquido, e o arquiteto acompanha a produção. Segue nosso catálogo.
s: [doc catalogo]
c: Obrigada. Gostei dos acabamentos. Vou indicar vocês para um cliente, o Sr. Geraldo Nunes, que quer um closet.
~2 idle
== 2025-06-03
c: Juliana, o Sr. Geraldo fechou com vocês, correto? Quando sai a RT?
s: Fechou sim, Beatriz! A RT de R$ 2.460,00 é paga no dia 10 do mês seguinte à assinatura, então sai em 10/06.
c: Perfeito, obrigada.
~3 idle
== 2026-08-11
c: Juliana, bom dia. Tenho um projeto de consultório odontológico com bancadas e armários, cerca de 9 metros lineares. Consegue orçar até sexta?
s: Consigo sim, Beatriz! Me envia o executivo em DWG?
c: Enviado por e-mail.
+3d
s: Beatriz, orçamento do consultório: R$ 28.900,00, prazo de 40 dias úteis, já com a RT.
c: Obrigada, vou apresentar ao cliente na semana que vem.
~3 nego
""",
    ),
    Client(
        name="Vanessa Teixeira",
        phone="+5531986630088",
        platform="android",
        style="informal",
        pattern="evening",
        call="Vanessa",
        outcome="lost",
        trend="stable",
        female=True,
        notes="'vou pensar', then closed with her brother-in-law's shop",
        script="""
== 2025-08-18
c: oi boa noite, quanto fica um guarda roupa casal planejado?
s: Boa noite, Vanessa! Depende da medida. Qual a largura da parede?
c: 3,10
s: Guarda-roupa de 3,10 m com portas de abrir, MDF 18 mm Branco Diamante: R$ 7.900,00, ou 10x de R$ 790,00.
c: vou pensar
s: Claro! Se quiser, consigo incluir o maleiro iluminado sem custo fechando este mês.
~3 nego
== 2025-09-22
c: oi Juliana, fechei na loja do meu cunhado, ele fez mais barato. obrigada
s: Entendo, Vanessa! Obrigada por avisar. Se precisar de algo, estamos aqui 😊
~2 idle
""",
    ),
    Client(
        name="Rodrigo Menezes",
        phone="+5531992280099",
        platform="android",
        style="formal",
        pattern="business",
        call="Rodrigo",
        outcome="won",
        trend="negative",
        notes="factory delay before Christmas, partial delivery, R$ 1.500 discount; later hardware defect",
        script="""
== 2025-11-03
c: Boa tarde, Juliana. Quero orçamento de cozinha e área gourmet para a minha casa no Buritis.
s: Boa tarde, Rodrigo! Agendo a medição para quinta às 15h?
c: Pode ser.
+7d
s: Rodrigo, orçamento: cozinha em U de 7,5 m e área gourmet com bancada de 3 m e armários, MDF 18 mm Grafite e Carvalho. Total R$ 41.500,00. Entrada de 30% e 10x no boleto.
c: Fechado. Preciso de tudo pronto até 20 de dezembro, vou receber a família no Natal.
s: Combinado, Rodrigo. Montagem prevista para 15/12.
~2 lead
== 2025-12-11
s: Rodrigo, infelizmente a fábrica atrasou a entrega das chapas de MDF Grafite. A montagem passa para 08/01. Sinto muito.
c: Juliana, isso é inaceitável. Eu avisei que precisava para o Natal e vocês confirmaram.
c: Vou receber 15 pessoas numa cozinha sem armário.
s: Rodrigo, entendo sua frustração. Consigo montar a cozinha até 19/12 usando MDF Grafite de outro fornecedor, e a área gourmet fica para janeiro.
c: Faça isso. E quero um desconto pelo atraso.
== 2025-12-19
s: Rodrigo, cozinha montada hoje. A área gourmet fica para 08/01, como combinado. Aprovamos um desconto de R$ 1.500,00 na última parcela.
c: Ok. O armário do canto ficou com a porta desalinhada. Mande alguém arrumar.
s: Mando o montador na segunda às 9h.
== 2026-01-08
s: Rodrigo, área gourmet concluída hoje.
c: Finalmente. Foram três semanas de atraso.
~2 idle
== 2026-06-15
c: Juliana, a corrediça da gaveta de talheres quebrou. Em seis meses. Espero que a garantia de 5 anos seja cumprida.
s: Rodrigo, com certeza. O técnico vai amanhã às 14h trocar a corrediça, sem custo.
c: Vamos ver.
""",
    ),
    Client(
        name="Sandra Oliveira",
        phone="+5531985540100",
        platform="ios",
        style="formal",
        pattern="weekend",
        call="Sandra",
        outcome="won",
        trend="positive",
        female=True,
        notes="travel-fee objection (Contagem) solved by waiving it on closing",
        script="""
== 2025-04-05
c: Olá Juliana, bom dia! Moro em Contagem, vocês atendem aqui? Quero um guarda-roupa para o quarto do casal.
s: Bom dia, Sandra! Atendemos sim. Para Contagem tem uma taxa de deslocamento de R$ 180,00 para medição e montagem.
c: Hum, 180 só para ir até aqui? A loja daqui não cobra nada.
s: Entendo, Sandra. Fechando o guarda-roupa, eu abato a taxa do valor final: fica sem custo de deslocamento.
c: Assim fica melhor. Pode agendar a medição no sábado?
s: Sábado, 12/04, às 9h30.
== 2025-04-14
s: Sandra, orçamento do guarda-roupa casal de 2,70 m com portas de correr espelhadas: R$ 8.450,00, ou 10x de R$ 845,00 no cartão.
c: Gostei. Vou fechar em 10x no cartão.
s: Perfeito! Montagem em até 30 dias úteis.
== 2025-05-24
s: Sandra, montagem concluída! Conforme combinado, sem a taxa de deslocamento.
c: Ficou lindo, Juliana. Obrigada!
~5 post
""",
    ),
    Client(
        name="Tatiane Freitas",
        phone="+5531993310111",
        platform="android",
        style="informal",
        pattern="night",
        call="Tatiane",
        outcome="open",
        trend="positive",
        female=True,
        notes="price objection, silent eight months, came back with the money in 2026-07",
        script="""
== 2025-11-10
c: oi juliana! quero orçamento de um quarto infantil, cama com escrivaninha e guarda roupa
s: Oi Tatiane! Que fofo 😍 Qual a idade da criança e o tamanho do quarto?
c: 6 anos, quarto de 2,5 x 3
s: Projeto do quarto infantil com cama com gavetas, escrivaninha e guarda-roupa de 1,8 m: R$ 9.800,00, ou 10x de R$ 980,00.
c: hmm ta acima do q eu pensei... vou juntar um pouco e te falo
~2 cold
== 2026-07-20
c: oii juliana lembra de mim? o do quarto infantil kkk juntei a grana, ainda vale aquele valor?
s: Oi Tatiane! Lembro sim 😊 O valor teve reajuste de 6%: fica R$ 10.388,00. Mas à vista no pix eu mantenho os R$ 9.800,00 do ano passado.
c: aaa ai sim!! vou ver se consigo tudo no pix
~3 nego
""",
    ),
]

PURCHASES = [
    ("Patrícia Gomes", "Cozinha planejada em L (6,2 m)", 1, "17200.00", "2025-03-27"),
    ("Patrícia Gomes", "Painel de TV com rack suspenso 2,4 m", 1, "3650.00", "2026-05-09"),
    ("Sr. Geraldo Nunes", "Closet em U e guarda-roupa de hóspedes", 1, "24600.00", "2025-05-28"),
    (
        "Renata Savassi",
        "Apartamento completo: cozinha, 2 quartos e painel",
        1,
        "62000.00",
        "2025-10-12",
    ),
    ("Felipe Andrade", "Painel de TV 3 m com rack suspenso", 1, "3040.00", "2025-08-04"),
    ("Rodrigo Menezes", "Cozinha em U e área gourmet", 1, "40000.00", "2025-11-10"),
    ("Sandra Oliveira", "Guarda-roupa casal 2,70 m portas de correr", 1, "8450.00", "2025-04-14"),
]
